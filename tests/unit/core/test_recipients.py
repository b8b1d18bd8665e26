"""core.recipients: only California state or local law-enforcement or prosecutorial agencies
receive ALPR data; federal, out-of-state and private recipients are refused (AG 2023-DLE-06)."""

from __future__ import annotations

import pytest

from alpr_desktop.core.recipients import check_recipient

ALLOWED = [
    "Los Angeles County Sheriff's Department",
    "LASD Carson Station",
    "Long Beach Police Department",
    "Los Angeles County District Attorney's Bureau of Investigation",
    "California Highway Patrol",
    "California Department of Justice",
    "Orange County District Attorney",
    "Burbank Police Department",  # 'bank' inside a word is not a bank
    "Nevada County Sheriff's Office",  # a California county
    "Nevada City Police Department",
    "San Diego County Probation Department",
    "UCLA Police Department",
]

REFUSED = [
    ("FBI Los Angeles Field Office", "federal"),
    ("Federal Bureau of Investigation", "federal"),
    ("DEA", "federal"),
    ("U.S. Immigration and Customs Enforcement (ICE)", "federal"),
    ("ICE ERO Los Angeles", "federal"),
    ("HSI San Diego", "federal"),
    ("US Customs and Border Protection", "federal"),
    ("CBP", "federal"),
    ("ATF Los Angeles", "federal"),
    ("US Marshals Service", "federal"),
    ("United States Attorney's Office", "federal"),
    ("Department of Homeland Security", "federal"),
    ("Acme Repossession LLC", "private"),
    ("Vigilant Solutions, Inc.", "private"),
    ("SecureCorp Corporation", "private"),
    ("State Farm Insurance", "private"),
    ("Joe's Towing", "private"),
    ("Wells Fargo Bank", "private"),
    ("Las Vegas Metropolitan Police Department, Nevada", "out_of_state"),
    ("Arizona Department of Public Safety", "out_of_state"),
    ("Phoenix Police Department (Arizona)", "out_of_state"),
    ("Oregon State Police", "out_of_state"),
    ("Texas Department of Public Safety", "out_of_state"),
    ("New York City Police Department, New York", "out_of_state"),
    ("Policía Municipal de Tijuana", "out_of_state"),
]


@pytest.mark.parametrize("agency", ALLOWED)
def test_california_agencies_allowed_when_confirmed(agency: str) -> None:
    d = check_recipient(agency, california_agency_confirmed=True, request_ref="REQ-1")
    assert d.allowed, d.message
    assert not check_recipient(agency, california_agency_confirmed=False,
                               request_ref="REQ-1").allowed


@pytest.mark.parametrize(("agency", "reason"), REFUSED)
def test_federal_out_of_state_and_private_refused_even_when_confirmed(agency: str,
                                                                     reason: str) -> None:
    d = check_recipient(agency, california_agency_confirmed=True, request_ref="REQ-1")
    assert not d.allowed and d.reason == reason
    assert "not permit" in d.message or "only to public" in d.message


@pytest.mark.parametrize(
    ("agency", "ref", "reason"),
    [("", "REQ-1", "empty"), ("   ", "REQ-1", "empty"), ("x" * 201, "REQ-1", "too_long"),
     ("Long Beach Police Department", "", "no_request"),
     ("Long Beach Police Department", "r" * 121, "too_long")],
)
def test_missing_or_oversized_fields(agency: str, ref: str, reason: str) -> None:
    d = check_recipient(agency, california_agency_confirmed=True, request_ref=ref)
    assert not d.allowed and d.reason == reason and d.message


def test_unconfirmed_is_refused_with_a_sentence() -> None:
    d = check_recipient("Long Beach Police Department", california_agency_confirmed=False,
                        request_ref="REQ-1")
    assert d.reason == "unconfirmed" and "California state or local" in d.message


def test_name_is_cleaned_for_the_log() -> None:
    d = check_recipient("  Long  Beach\tPolice\x00 Department ", california_agency_confirmed=True,
                        request_ref="R")
    assert d.allowed and d.agency == "Long Beach Police Department"
