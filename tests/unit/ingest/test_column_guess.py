"""ingest.column_guess: a first mapping from header names alone (pure, no Qt)."""

from __future__ import annotations

from alpr_desktop.ingest.column_guess import SYNONYMS, fold, guess_columns
from alpr_desktop.ingest.delimited import FIELDS


def test_fold_ignores_case_spaces_and_punctuation() -> None:
    assert fold("License_Plate") == fold("license plate") == fold("LICENSE-PLATE") == \
        "licenseplate"


def test_one_datetime_column_wins_over_date_and_time() -> None:
    assert guess_columns(["License Plate", "Timestamp", "Date", "Camera Name", "Lat"]) == {
        "plate": "License Plate", "datetime": "Timestamp", "camera": "Camera Name",
        "latitude": "Lat"}
    assert guess_columns(["Tag", "Date", "Time", "Device"]) == {
        "plate": "Tag", "date": "Date", "time": "Time", "camera": "Device"}


def test_a_column_is_guessed_for_one_field_only() -> None:
    # "Model" would fit model only; "ID" fits vendor_id; blank names are skipped
    guess = guess_columns(["Plate", "", "ID", "Model", "Vehicle Model"])
    assert guess == {"plate": "Plate", "model": "Model", "vendor_id": "ID"}
    assert len(set(guess.values())) == len(guess)


def test_unknown_names_guess_nothing() -> None:
    assert guess_columns(["LPN", "When", "Where"]) == {}
    assert guess_columns([]) == {}


def test_every_synonym_names_a_real_field_and_is_folded() -> None:
    assert set(SYNONYMS) <= set(FIELDS)
    for names in SYNONYMS.values():
        assert all(n == fold(n) for n in names)
