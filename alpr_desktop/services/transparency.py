"""The custodian's public transparency report, one click: PDF and CSV, counts only.

The facts come from aggregate queries (storage/transparency_queries.py) and a walk of the
access log's chain; free text that could name a person or a plate (offense typed outside the
list, narratives, case numbers, usernames) is never selected. Building it is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action
from alpr_desktop.core.transparency import (
    TransparencyFacts,
    category_words,
    merge_counts,
    offense_words,
    refusal_words,
)
from alpr_desktop.services.gate import require
from alpr_desktop.storage.unit_of_work import UnitOfWork

DEFAULT_RETENTION = ("Five years from the date of recordation; each read and its images are "
                     "permanently deleted one minute after that (policy §8).")
RETENTION_SETTING = "retention.description"


@dataclass(frozen=True)
class TransparencyResult:
    pdf: Path
    csv: Path
    facts: TransparencyFacts


def csv_path_for(pdf: Path) -> Path:
    return pdf.with_suffix(".csv")


class TransparencyService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def facts(self, start_ms: int, end_ms: int,
              organization: str = "City of Carson") -> TransparencyFacts:
        """The figures for the period (call it under a custodian's grant: ``build``)."""
        q = self.store.transparency
        start_s, end_s = start_ms // 1000, end_ms // 1000
        searches: dict[tuple[str, str], int] = {}
        for cat, off, n in q.searches_by_purpose(start_ms, end_ms):
            key = (category_words(cat), offense_words(off))
            searches[key] = searches.get(key, 0) + n
        disclosures = q.disclosures(start_ms, end_ms)
        verify = self.store.access_log.verify()
        return TransparencyFacts(
            organization=organization, period_start_ms=start_ms, period_end_ms=end_ms,
            generated_ms=self.clock.now_ms(),
            cameras=q.cameras(start_s, end_s),
            reads_collected=q.reads_collected(start_s, end_s),
            reads_held=q.reads_held(),
            reads_purged=q.purged(start_ms, end_ms),
            searches=sorted(((c, o, n) for (c, o), n in searches.items()),
                            key=lambda t: (-t[2], t[0], t[1])),
            refused=merge_counts([(refusal_words(r), n)
                                  for r, n in q.refused_searches(start_ms, end_ms)]),
            disclosures=[(agency or "(agency not named)", ok)
                         for agency, ok, _no in disclosures if ok],
            disclosures_refused=sum(no for *_a, no in disclosures),
            holds=q.count_rows("holds"),
            maintenance_checks=q.count_rows("maintenance_checks",  # migration 0013
                                            "WHERE checked_ms BETWEEN ? AND ?",
                                            (start_ms, end_ms)),
            problems=q.count_rows("maintenance_problems", "WHERE discovered_ms BETWEEN ? AND ?",
                                  (start_ms, end_ms)),
            incidents=q.incidents(start_ms, end_ms),
            chain_intact=verify.intact, chain_entries=verify.checked,
            chain_summary=("Intact" if verify.intact else
                           f"NOT intact (first broken entry #{verify.first_broken})"),
            retention=q.setting(RETENTION_SETTING) or DEFAULT_RETENTION,
        )

    def build(self, ctx: AccessContext, start_ms: int, end_ms: int, out_pdf: Path | str,
              organization: str = "City of Carson") -> TransparencyResult:
        """Write the PDF and, beside it, the CSV of the same figures (owner-only, whole or
        not at all), logged with the period in the same transaction."""
        from alpr_desktop.reports.transparency_report import (
            write_transparency_csv,
            write_transparency_pdf,
        )

        if end_ms < start_ms:
            raise ValueError("The period ends before it begins.")
        grant = require(self.store, ctx, Action.PRINT_AUDIT_REPORT, needs_purpose=False,
                        clock=self.clock)
        pdf = Path(out_pdf)
        csv = csv_path_for(pdf)
        written: list[Path] = []
        try:
            with self.store.transaction():
                facts = self.facts(start_ms, end_ms, organization)
                grant.log("transparency.report",
                          query={"from_ms": start_ms, "to_ms": end_ms},
                          detail={"file_name": pdf.name[:120], "csv": csv.name[:120],
                                  "chain_intact": facts.chain_intact})
                written.append(write_transparency_pdf(pdf, facts))
                written.append(write_transparency_csv(csv, facts))
        except BaseException:
            for path in written:  # both files or neither, like the log entry
                path.unlink(missing_ok=True)
            raise
        return TransparencyResult(pdf, csv, facts)
