"""Whether a search purpose is a real purpose: the rules of the purpose gate.

Policy §1 limits ALPR data to crime deterrence, investigation and prosecution, and §5 makes the
purpose part of every access-log entry. Published audit logs show purposes such as
"investigation", "inv", "bolo" or "test", which make an audit impossible: nobody can tell later
whether a search was authorized. So a narrative must say what happened, where or when, and what
the search is meant to find, and must be the user's own words. Every problem is reported as a
sentence naming what is missing, with an example, so the dialog can show it as is.

Officers write the way they write reports: "459 PC resd, S/ fled in wht veh, need RO". The rules
read the narrative with police shorthand spelled out (police_shorthand) and count a California
code section as a crime (code_sections); the stored narrative stays exactly as typed. A request
from another agency is specific through the agency's case number and the dates it asks for.
docs/purposes.md describes the rules and their measured accuracy.

Pure standard library; no Qt, no SQL. ``check_purpose`` never raises on user input (only on an
invalid configured case-number format, which is an administrator's error).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from alpr_desktop.core.code_sections import find_citations
from alpr_desktop.core.police_shorthand import expand_shorthand
from alpr_desktop.core.purposes import (
    DEFAULT_CASE_FORMAT_REGEXES,
    DEFAULT_CASE_FORMATS,
    OFFENSE_TYPES,
    CaseFormat,
    Purpose,
    PurposeCategory,
    PurposeInput,
)

__all__ = [
    "EXAMPLE_NARRATIVE",
    "MAX_CASE_FORMATS",
    "MAX_CASE_NUMBER_LEN",
    "MAX_NARRATIVE_LEN",
    "MIN_NARRATIVE_CHARS",
    "MIN_NARRATIVE_WORDS",
    "PurposeProblem",
    "PurposeRejected",
    "check_purpose",
    "compile_case_formats",
    "narrative_fingerprint",
    "validate_purpose",
]

MIN_NARRATIVE_CHARS = 40
MIN_NARRATIVE_WORDS = 8
MIN_CONTENT_WORDS = 5
MAX_NARRATIVE_LEN = 2000
MAX_CASE_NUMBER_LEN = 40
MAX_FIELD_LEN = 200
MAX_CASE_FORMATS = 20
MAX_CASE_FORMAT_LEN = 200
# Near-copy detection: word-set overlap at or above this, for narratives of at least this size.
COPY_JACCARD = 0.9
COPY_MIN_WORDS = 8
_OTHERS_SCAN_LEN = 10 * MAX_NARRATIVE_LEN


@dataclass(frozen=True)
class PurposeProblem:
    """One reason a purpose is refused: the field concerned and a sentence saying what to fix.

    ``code`` is a stable identifier for tests and the audit report's vague-purpose statistics.
    ``finding`` is what is wrong without the advice and example that ``message`` adds for the
    user; the audit report shows only the finding.
    """

    field: str
    message: str
    code: str = ""
    finding: str = ""


class PurposeRejected(ValueError):
    """The purpose was refused; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[PurposeProblem]) -> None:
        self.problems: tuple[PurposeProblem, ...] = tuple(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    def __str__(self) -> str:
        return " ".join(p.message for p in self.problems)


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text: keeps the word lists readable."""
    return frozenset(text.split())


# --------------------------------------------------------------------------------------------
# Vocabulary. Word lists are lower-case; a token is a run of letters/digits, with inner hyphens
# or apostrophes kept ("7-eleven", "hit-and-run", "o'brien").

_STOPWORDS = _wordset(
    """
    a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing done down during each either few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not now of off on once only onto or other our ours out over own
    per re same she should so some such than that the their theirs them then there these they
    this those through to too under until up upon us very via was we were what when where which
    while who whom whose why will with would you your yours s t d ll m ve
    """
)

# Words that say nothing about this particular search: the ones from published audit logs,
# filler, agency boilerplate, and search vocabulary.
_GENERIC = _wordset(
    """
    investigation investigations investigative investigate investigating investigator inv invs
    invest invst investig bolo bolos test tests testing ongoing crime crimes criminal case cases
    incident incidents search searches searching searched query queries querying lookup lookups
    look looking looked check checks checking checked info information follow followup fu
    na nil none null n a unk unknown tbd pending active open general routine misc miscellaneous
    various etc sgt sergeant lt lieutenant det detective detectives dep deputy deputies officer
    officers capt captain request requested requesting see report reports rpt official business
    purpose purposes law enforcement police department dept agency sheriff sheriffs lasd matter
    matters related regarding possible potential lead leads intel intelligence data alpr lpr
    plate plates lic license tag tags read reads hit hits run running vehicle vehicles veh car
    cars auto autos suspect suspects subject subjects person persons individual individuals
    someone something anything stuff thing things need needed needs want wanted wants assist
    assistance help work working job conducted conduct conducting part reason reasons same
    please thanks ok okay yes stated listed above below attached aforementioned referenced
    locate locating find finding identify identifying determine seeking seek track tracking
    urn
    """
)

# Tokens from the category and offense labels: naming the category or offense is not a narrative.
_LABEL_WORDS = frozenset(
    w
    for label in [c.label for c in PurposeCategory] + [c.value for c in PurposeCategory]
    + list(OFFENSE_TYPES)
    for w in re.findall(r"[a-z]+", label.lower())
)

# What happened: a crime or the harm it did, as whole words or prefixes of inflected forms.
# Sightings alone ("seen", "observed", "drove", "missing") are deliberately not enough: "subject
# seen near City Hall, track his movements" names no crime, and policy section 1 allows ALPR use
# only for crimes. A narrative about a real crime names the act, its victim or its section
# (code_sections), or says what happened ("a pedestrian was struck", "tires dumped on the
# shoulder", "tagging on the overpass").
_EVENT_WORDS = _wordset(
    """
    stolen stole steal steals stealing theft thefts thief thieves robbed robbery robberies rob
    robs robber robbers shot shots shooting shootings fired gunfire gunpoint gun guns handgun
    firearm rifle shotgun knife machete weapon fled flee flees fleeing evaded evading evade
    assaulted assault assaults struck strike collided collision crash crashed broke broken
    break burglarized burglary taken took abducted abduction kidnapped kidnapping stabbed
    stabbing killed murder murdered homicide carjacked carjacking attacked attack threatened
    threats brandished vandalized vandalism damaged smashed looted trafficked trafficking sold
    selling dealing narcotics drugs cocaine heroin fentanyl methamphetamine meth
    pcp forged counterfeit fraud fraudulent defrauded impersonated raped rape molested lured
    chased pursuit pursued escaped injured injuries victim victims died death deceased body
    arson arsonist burned torched shoplifted embezzled extorted extortion ransom graffiti
    grafitti rammed dragged grabbed snatched stalked stalking beaten beat battered trespass
    trespassed warrant dui cut sawed sawn tagging tagged tagger taggers dumped dumping
    sideswiped sideswipe scammed swindled conned choked strangled punched kicked slapped bitten
    shoved pistol-whipped groped fondled prowler prowling peeping pried prying jimmied shattered
    ransacked poured drunk intoxicated impaired reckless racing sideshow takeover stripped
    poisoned cruelty abused abuse endangerment violated exploded explosive detonated bomb
    hostage brawl fight fought slashed keyed blackmail sextortion pickpocket pickpocketed
    gunman gunmen assailant assailants perpetrator wounded wound wounds hospitalized bleeding
    destroyed casings bullet bullets violence indecent lewd solicited prostitution pimping
    pandering siphoned carjacker burglar burglars dwi
    """
)
# Hit-and-run and the other events that take more than one word. Matched on the expanded,
# lower-cased narrative.
_EVENT_PHRASE_RE = re.compile(
    r"\bhit(?:-and-|\s+and\s+)run\b"
    r"|\b(?:was|were|got|been|being|is|are|gets)\s+(?:hit|run\s+over|ran\s+over|rear-ended)\b"
    r"|\bhit\s+by\b"
    r"|\bhit\s+(?:a|an|the|his|her|their|two|three|several|another)\s+(?:\w+\s+)?"
    r"(?:pedestrians?|child|kid|boy|girl|man|woman|cyclist|bicyclist|biker|jogger|deputy|"
    r"officer|parked|pole|fence|wall|house|home|car|vehicle|victim)\b"
    r"|\bhit\s+(?:twice|\d+\s+times|several\s+times|multiple\s+times)\b"
    r"|\b(?:ran|run|drove|crashed|plowed)\s+(?:over|into|down)\b"
    r"|\b(?:on\s+fire|set\s+fire|set\s+ablaze|fire\s+to)\b"
    r"|\bforced\s+(?:entry|open|(?:his|her|their)\s+way|in)\b"
    r"|\bspray[- ]?paint"
    r"|\bwithout\s+paying\b|\bnot\s+paid\b|\b(?:did\s+not|didn't|refused\s+to)\s+pay\b"
    r"|\bdrive[- ]off\b|\bdrove\s+off\s+without\b"
    r"|\bunder\s+the\s+influence\b|\bexhibition\s+of\s+speed\b"
    r"|\bstreet\s+(?:race|racing|takeover)\b"
    r"|\bexposed\s+(?:himself|herself|themselves|his|her)\b"
    r"|\b(?:took|made|ran|walked|drove)\s+off\s+with\b"
    r"|\b(?:posing|posed|poses|pretending|pretended)\s+(?:as|to\s+be)\b",
)
# Phrases whose event word is no event: being cut off in traffic is not a crime, and neither is
# who someone is or was ("a known dealer", "prolific tagger", "on parole for 211 PC", "priors
# for burglary"): a status or a record is not a crime this search investigates.
_CODE_NAME = r"(?:pc|vc|hs|h&s|hsc|wic|w&i|bp|b&p|penal\s+code|vehicle\s+code)"
_NOT_EVENT_PHRASE_RE = re.compile(
    r"\bcut\s+(?:me|him|her|them|us|you)\s+off\b"
    r"|\b(?:known|suspected|alleged|reputed|documented|active|prolific|habitual|former|"
    r"convicted|registered|local)\s+(?:\w+\s+){0,2}?(?:drug\s+|car\s+|sex\s+)?"
    r"(?:dealers?|thie(?:f|ves)|burglars?|robbers?|taggers?|shooters?|offenders?|felons?|"
    r"gang\s*members?|gangsters?|parolees?|probationers?)\b"
    r"|\b(?:parolees?|probationers?|on\s+(?:parole|probation)|priors?|prior\s+(?:arrests?|"
    r"convictions?)|convicted|conviction|criminal\s+history|rap\s+sheet|record|history)\s+"
    r"(?:for|of|with)\s+(?:(?:a|an|two|three|several|multiple)\s+)?"
    rf"(?:\d[\w.()/]*(?:\s+{_CODE_NAME}\b)?|{_CODE_NAME}\s*\d[\w.()/]*"
    r"|(?:armed|grand|petty|vehicle|auto|residential|commercial|felony|drug)?\s*[a-z]+)"
)
_EVENT_PREFIXES = (
    "rob", "steal", "stol", "shoot", "stab", "assault", "burglar", "kidnap", "abduct", "evad",
    "vandal", "traffick", "carjack", "murder", "kill", "threat", "brandish", "collid", "crash",
    "injur", "damag", "smash", "forg", "defraud", "molest", "pursu", "escap", "loot",
    "shoplift", "embezzl", "extort", "attack", "fled", "flee", "batter", "skimm", "ransack",
    "break", "broke", "stalk", "trespass", "tagg", "swindl", "scam", "strangl", "chok",
    "masturbat", "impersonat", "narcot", "arson", "fatal", "gunshot", "siphon", "grope",
    "shatter",
)
# Words that start like an event and are not one.
_EVENT_NOT = _wordset(
    """
    breakfast forget forgot forgotten scamper robe robes robert roberts robertson robinson
    robin robot killeen
    """
)

# Uses the policy does not authorize, stated outright: personal matters (policy section 1),
# immigration enforcement (Government Code 7284.6, SB 54), civil matters, tests and training.
# Kept to unambiguous phrases: "personal property" or "the victim's neighbor" are not flagged.
_PROHIBITED_RE = re.compile(
    r"\bmy (?:own |ex-?|stolen |late |old |new )?(?:wife|husband|spouse|girlfriend|boyfriend|"
    r"ex|family|neighbou?r|son|daughter|mother|mom|father|dad|brother|sister|kid|kids|car|"
    r"vehicle|house|home|truck|van|suv|bike|bicycle|motorcycle|phone|wallet|purse|stuff|"
    r"friend|cousin|roommate|landlord|tenant|boss|coworker|co-worker|aunt|uncle|grandma|"
    r"grandmother|grandpa|grandfather|nephew|niece|in-laws?)\b|"
    r"^(?:training|test|testing|practice|demo)\b\s*[:(\-–—]|"
    r"\((?:training|test|testing|practice|demo)(?: only)?\)|"
    r"\bpersonal (?:reasons?|use|matter|business|interest)\b|\bjust curious\b|"
    r"\bcuriosity\b|\bimmigration\b|\bdeport|\bundocumented\b|\billegal aliens?\b|"
    r"\bborder patrol\b|\brepo(?:ssess\w*)?\b|\bdebt collect|\bcivil (?:matter|suit|dispute)\b|"
    r"\bfor training\b|\btraining (?:exercise|purposes?|search)\b|\bpractice (?:search|query)\b|"
    r"\btest(?:ing)? (?:the )?(?:system|search|query)\b|\bsystem test\b|\bdemo\b|"
    r"\btest(?:ing)? (?:of |out )?(?:the |a )?(?:new )?(?:search|screen|software|program|"
    r"update|feature|camera|reader)s?\b|"
    r"\btrain(?:ing)? (?:the |a |our )?(?:new )?(?:analysts?|deputies|officers?|users?|staff|"
    r"employees?|recruits?|trainees?)\b|\bsample (?:search|query|queries|searches)\b|"
    r"\bcustoms and border\b",
    re.IGNORECASE,
)

# Immigration and Customs Enforcement, written in capitals (so "ice" on a road is not it).
_ICE_RE = re.compile(r"\bICE\b")

# Where: street suffixes, places, landmarks.
_PLACE_WORDS = _wordset(
    """
    st street ave av avenue blvd boulevard rd road dr drive way ln lane pl place ct court hwy
    highway fwy freeway pkwy parkway cir circle ter terrace trl trail plaza mall park lot
    parking garage intersection block alley ramp exit onramp offramp interstate i-405 i-110
    i-710 i-10 i-5 i-105 sr-91 corner store market supermarket restaurant gas school church
    residence home house apartment apartments complex condo hotel motel bank atm liquor shop
    center centre driveway yard backyard bar club hospital library station stop depot
    warehouse dealership lot carwash 7-eleven walmart target costco ralphs vons starbucks
    mcdonalds carson compton torrance gardena wilmington dominguez harbor lakewood
    northbound southbound eastbound westbound nb sb eb wb north south east west near nearby
    outside inside behind across front address location scene premises campus stadium
    curb sidewalk crosswalk neighborhood tract overpass underpass bridge shoulder median
    dwelling building business office clinic pharmacy courthouse cemetery pier port terminal
    dock tracks onramp on-ramp off-ramp cul-de-sac storefront lobby entrance
    avalon figueroa sepulveda alameda vermont normandie lomita victoria dolores amo
    """
)
# When: days, months, times of day.
_TIME_WORDS = _wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec yesterday today tonight morning
    afternoon evening night overnight midnight noon dawn dusk weekend mornings afternoons
    evenings nights weekends week
    """
)
_PLACE_TIME_RES = (
    re.compile(r"\b\d{1,2}:\d{2}\b"),  # 23:10
    re.compile(r"\b(?:[01]?\d|2[0-3])[0-5]\d\s?(?:hrs|hours|h)\b", re.IGNORECASE),  # 2310 hrs
    re.compile(r"\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.IGNORECASE),  # 11 pm
    re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),  # 11/20, 11/20/2026
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # 2026-11-20
    re.compile(r"\b\d{1,4}(?:st|nd|rd|th)\b", re.IGNORECASE),  # 223rd St, the 3rd
    re.compile(r"\blast (?:night|week|weekend|month)\b", re.IGNORECASE),
    # a military time after a word that makes it one: "approx 2300", "at 0215", "since 0700"
    re.compile(r"\b(?:approx\w*|apx|around|about|at|by|after|before|until|since|between|btwn|"
               r"from|to|and)\s[0-2]?\d[0-5]\d\b(?![-/])", re.IGNORECASE),
    # a range of times, "0800-1600" (not the tail of a case number such as 123-45678-2026-001)
    re.compile(r"(?<![\w-])[0-2]?\d[0-5]\d\s?(?:-|to|until|thru|through)\s?[0-2]?\d[0-5]\d(?![\w-])"),
    re.compile(r"\bthe (?:405|110|710|91|105|605)\b"),  # a freeway
    # an intersection written with a slash: "Avalon/Victoria", "Figueroa/223rd"
    re.compile(r"\b[A-Z][a-z]{2,}\s?/\s?(?:[A-Z][a-z]{2,}|\d{1,3}(?:st|nd|rd|th))\b"),
    re.compile(r"\bthis (?:morning|afternoon|evening)\b", re.IGNORECASE),
    # a preposition followed by a capitalized name: "at Dominguez", "in Carson", "on Avalon"
    re.compile(r"\b(?:at|on|near|in|outside|behind|inside|along)\s(?:the\s)?[A-Z][A-Za-z'-]+"),
)
_PLACE_TIME_WORD_RE = re.compile(r"\b(?:in front of|across from|next to)\b", re.IGNORECASE)

# What is sought: the words that say it outright, or an investigative verb with an object
# ("pulling reads around the scene", "need a timeline", "to corroborate the victim's account",
# "check which vans passed"). A verb with nothing after it ("per sgt, check") says nothing.
_INVESTIGATIVE_VERBS = _wordset(
    """
    check checks checking verify verifies verifying confirm confirms confirming pull pulls
    pulling query queries querying trace traces tracing corroborate corroborates corroborating
    establish establishes establishing identify identifies identifying need needs needing
    locate locates locating exclude excludes excluding determine determines determining find
    finds finding obtain obtains obtaining get getting review reviewing compare comparing
    match matching link linking connect connecting map mapping plot plotting reconstruct
    reconstructing narrow narrowing develop developing canvass canvassing recover recovering
    retrieve retrieving seek seeking track tracking show showing prove proving document
    documenting rule ruling eliminate eliminating learn request requests requesting
    requested ask asks asking asked examine examining analyze analyzing scan scanning
    pinpoint pinpointing follow following see
    """
)
# Words that may stand between the verb and its object.
_BRIDGE = _wordset(
    """
    the a an all any every each its his her their our whether if which who where when what
    how or and to for of on about possible available
    """
)
# What cannot be an object: the verb's particle or the end of the thought ("follow up").
_NOT_OBJECT = _wordset(
    """
    up away off back down in into out over by per as is was were be sgt sergeant lt det
    detective request requests info information case cases
    """
)
_VERB_OBJECT_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(_INVESTIGATIVE_VERBS))})\b[ ,:'\"-]+"
    rf"(?:(?:{'|'.join(sorted(_BRIDGE))})[ ,'-]+){{0,3}}(?P<obj>[a-z0-9][a-z0-9'-]*)"
)
_OBJECTIVE_RES = (
    re.compile(
        r"\b(?:seek|seeking|sought|locate|locating|identify|identifying|identification|"
        r"determine|determining|track|tracking|trace|tracing|find|finding|establish|"
        r"establishing|confirm|confirming|corroborate|corroborating|obtain|obtaining|verify|"
        r"verifying|develop|canvass|canvassing|recover|retrieve|eliminate|exclude|pinpoint|"
        r"reconstruct|place the|placing|whether|timeline|direction of travel|registered owner|"
        r"route|movements|travel path|to id|id the|looking for|look for|search for|"
        r"suspect vehicle|in order to|attempt to locate)\b",
        re.IGNORECASE,
    ),
)

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_LETTER_RUN_RE = re.compile(r"([a-z])\1{3,}")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_KEYBOARD_RUNS = frozenset(
    run
    for row in _KEYBOARD_ROWS
    for seq in (row, row[::-1])
    for i in range(len(seq) - 3)
    for run in [seq[i : i + 4]]
) - {"erty"}  # "property", "liberty": real words
_KEYBOARD_RUN_RE = re.compile("|".join(sorted(_KEYBOARD_RUNS)))
_PLACEHOLDER_RE = re.compile(r"\blorem\b|\bipsum\b|\bfoo\b|\bbar baz\b|\bblah\b|\bxxx+\b|\bzzz+\b")
# Characters allowed in text fields that are neither printable nor plain spaces.
_ALLOWED_CONTROLS = frozenset("\n\r\t")
# Nested quantifier: a group holding an unbounded quantifier or alternation, itself repeated
# without bound. These are the patterns that can backtrack catastrophically.
_NESTED_QUANTIFIER_RE = re.compile(
    r"\((?:[^()\\]|\\.)*(?:[*+|]|\{\d*,\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,\d*\})"
)
# Strings no case-number format may accept: a format that takes them takes anything.
_OVERBROAD_PROBES = (
    "", " ", "0", "1", "A", "X", "NA", "N/A", "NONE", "TEST", "INV", "BOLO", "TBD", "UNKNOWN",
    "INVESTIGATION", "PENDING", "SEE CASE", "ANY TEXT AT ALL",
)
_GENERIC_AGENCIES = frozenset(
    {
        "police", "pd", "police department", "police dept", "the police", "sheriff", "so",
        "sheriffs", "sheriff s", "sheriff s office", "sheriffs office", "sheriff s department",
        "sheriffs department", "sheriff department", "law enforcement", "law enforcement agency",
        "agency", "other agency", "another agency", "outside agency", "allied agency", "da",
        "d a", "district attorney", "da s office", "das office", "prosecutor", "department",
        "dept", "other", "unknown", "unk", "n a", "na", "none", "test", "cops", "leo",
    }
)


# --------------------------------------------------------------------------------------------
# Helpers


def _text(value: object) -> str:
    """A field as text: anything that is not a string counts as empty."""
    return value if isinstance(value, str) else ""


def _has_bad_chars(text: str) -> bool:
    """Control or invisible format characters (bidi overrides, zero-width) in a field.

    They can hide or reorder what the audit report later shows, so they are refused.
    """
    if text.isprintable():  # the common case, decided in C
        return False
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return True
    return False


def _clean(text: str) -> str:
    """NFKC-folded, whitespace collapsed to single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def narrative_fingerprint(text: str) -> str:
    """Lower-case letters and digits of a narrative, one space between words.

    Two narratives with the same fingerprint differ only in case, punctuation or spacing.
    """
    if not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text[:_OTHERS_SCAN_LEN]).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


class _CopyKey:
    """A narrative's fingerprint, digit-free fingerprint and word set, computed once."""

    __slots__ = ("fp", "no_digits", "words")

    def __init__(self, text: str) -> None:
        self.fp = narrative_fingerprint(text)
        self.no_digits = " ".join(re.sub(r"\d+", " ", self.fp).split())
        self.words = set(self.fp.split())

    def copies(self, other: _CopyKey) -> bool:
        """True when this narrative is ``other`` up to case, punctuation, digits or a few words."""
        if not self.fp or not other.fp:
            return False
        if self.fp == other.fp or (self.no_digits and self.no_digits == other.no_digits):
            return True
        a, b = self.words, other.words
        if len(a) < COPY_MIN_WORDS or len(b) < COPY_MIN_WORDS:
            return False
        return len(a & b) / len(a | b) >= COPY_JACCARD


def _is_mash(token: str) -> bool:
    """A letter token that looks typed at random: keyboard runs, no vowels, long letter runs."""
    if _KEYBOARD_RUN_RE.search(token):
        return True
    if len(token) >= 6 and not re.search(r"[aeiouy]", token):
        return True
    return bool(_LETTER_RUN_RE.search(token))


def _is_event(token: str) -> bool:
    return token in _EVENT_WORDS or (
        token.startswith(_EVENT_PREFIXES) and token not in _EVENT_NOT
    )


def _has_place_or_time(text: str, tokens: Sequence[str]) -> bool:
    if any(t in _PLACE_WORDS or t in _TIME_WORDS for t in tokens):
        return True
    if _PLACE_TIME_WORD_RE.search(text):
        return True
    return any(r.search(text) for r in _PLACE_TIME_RES)


def _has_objective(text: str, lower: str) -> bool:
    if any(r.search(text) for r in _OBJECTIVE_RES):
        return True
    return any(
        m.group("obj") not in _NOT_OBJECT and m.group("obj") not in _STOPWORDS
        for m in _VERB_OBJECT_RE.finditer(lower)
    )


# --------------------------------------------------------------------------------------------
# Case-number formats


def compile_case_formats(patterns: Iterable[str | CaseFormat]) -> list[re.Pattern[str]]:
    """Compile administrator-configured case-number formats, refusing unsafe or useless ones.

    Each pattern is matched in full against the upper-cased number, case-insensitively. A
    pattern is refused (ValueError naming it) when it is not text, is empty or longer than
    MAX_CASE_FORMAT_LEN, does not compile, has nested unbounded quantifiers (catastrophic
    backtracking), or accepts strings such as "", "TEST" or "N/A" (it would accept anything).
    """
    if isinstance(patterns, str | CaseFormat):
        patterns = [patterns]
    compiled: list[re.Pattern[str]] = []
    for n, item in enumerate(patterns, start=1):
        if n > MAX_CASE_FORMATS:
            raise ValueError(f"At most {MAX_CASE_FORMATS} case-number formats can be configured.")
        source = item.pattern if isinstance(item, CaseFormat) else item
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"Case-number format {n} is empty.")
        if len(source) > MAX_CASE_FORMAT_LEN:
            raise ValueError(
                f"Case-number format {n} is longer than {MAX_CASE_FORMAT_LEN} characters."
            )
        if _has_bad_chars(source):
            raise ValueError(f"Case-number format {n} contains control characters.")
        if _NESTED_QUANTIFIER_RE.search(source) or re.search(r"\\\d|\(\?P=|\(\?<[=!]", source):
            raise ValueError(
                f"Case-number format {n} ({source!r}) repeats a group that itself repeats, "
                "uses a back-reference or a look-behind; write it without them so that "
                "matching stays fast."
            )
        try:
            rx = re.compile(source, re.IGNORECASE)
        except (re.error, OverflowError, RecursionError) as exc:
            raise ValueError(
                f"Case-number format {n} ({source!r}) is not a valid regular expression: {exc}."
            ) from exc
        for probe in _OVERBROAD_PROBES:
            if rx.fullmatch(probe):
                shown = probe or "an empty number"
                raise ValueError(
                    f"Case-number format {n} ({source!r}) is too broad: it accepts "
                    f"{shown!r}, so it would accept anything."
                )
        compiled.append(rx)
    if not compiled:
        raise ValueError("At least one case-number format must be configured.")
    return compiled


_DEFAULT_COMPILED = compile_case_formats(DEFAULT_CASE_FORMAT_REGEXES)


def _format_hint(case_formats: Sequence[str | CaseFormat]) -> str:
    labels = [f.label for f in case_formats if isinstance(f, CaseFormat)]
    if not labels:
        labels = [f.label for f in DEFAULT_CASE_FORMATS if f.pattern in case_formats]
    return "; ".join(labels) if labels else "the formats your administrator configured"


# --------------------------------------------------------------------------------------------
# Field rules


def _check_category(value: object) -> tuple[PurposeCategory | None, list[PurposeProblem]]:
    category = PurposeCategory.parse(value)
    if category is None:
        return None, [
            PurposeProblem(
                "category",
                "Choose a purpose category: criminal investigation, prosecution, or a request "
                "from another law-enforcement or prosecutorial agency.",
                "category_missing",
            )
        ]
    return category, []


def _check_offense(value: object) -> tuple[str, list[PurposeProblem]]:
    text = _text(value)
    if len(text) > MAX_FIELD_LEN or _has_bad_chars(text):
        return "", [
            PurposeProblem("offense", "Choose the offense type from the list.", "offense_unknown")
        ]
    wanted = _clean(text).casefold()
    if not wanted:
        return "", [PurposeProblem("offense", "Choose the offense type.", "offense_missing")]
    for label in OFFENSE_TYPES:
        if label.casefold() == wanted:
            return label, []
    return "", [
        PurposeProblem("offense", "Choose the offense type from the list.", "offense_unknown")
    ]


def _check_case_number(
    value: object, formats: Sequence[str | CaseFormat], compiled: Sequence[re.Pattern[str]]
) -> tuple[str, list[PurposeProblem]]:
    text = _text(value)
    if _has_bad_chars(text):
        return "", [
            PurposeProblem(
                "case_number",
                "The case number contains control or invisible characters; type it again.",
                "case_number_bad_chars",
            )
        ]
    if len(text) > MAX_CASE_NUMBER_LEN * 4:
        number = ""
        too_long = True
    else:
        number = _clean(text).upper()
        too_long = len(number) > MAX_CASE_NUMBER_LEN
    if too_long:
        return "", [
            PurposeProblem(
                "case_number",
                f"The case number is longer than {MAX_CASE_NUMBER_LEN} characters.",
                "case_number_too_long",
            )
        ]
    if not number:
        return "", [
            PurposeProblem(
                "case_number",
                "Enter the case or incident number this search is for.",
                "case_number_missing",
            )
        ]
    if any(rx.fullmatch(number) for rx in compiled):
        return number, []
    return "", [
        PurposeProblem(
            "case_number",
            f"The case number {number!r} is not in an accepted form ({_format_hint(formats)}).",
            "case_number_format",
        )
    ]


def _check_agency_fields(agency_raw: object, name_raw: object) -> list[PurposeProblem]:
    problems: list[PurposeProblem] = []
    agency_text, name_text = _text(agency_raw), _text(name_raw)
    agency = _clean(agency_text) if len(agency_text) <= MAX_FIELD_LEN else ""
    name = _clean(name_text) if len(name_text) <= MAX_FIELD_LEN else ""
    if len(agency_text) > MAX_FIELD_LEN or _has_bad_chars(agency_text):
        problems.append(
            PurposeProblem(
                "requesting_agency",
                f"The requesting agency must be plain text of at most {MAX_FIELD_LEN} characters.",
                "agency_invalid",
            )
        )
    elif not agency:
        problems.append(
            PurposeProblem(
                "requesting_agency",
                "Name the law-enforcement or prosecutorial agency that requested the data.",
                "agency_missing",
            )
        )
    elif (
        narrative_fingerprint(agency).replace("'", " ") in _GENERIC_AGENCIES
        or not re.search(r"[^\W\d_]{2,}", agency)
    ):
        problems.append(
            PurposeProblem(
                "requesting_agency",
                f"{agency!r} does not name an agency; give its full name (for example "
                "'Long Beach Police Department').",
                "agency_generic",
            )
        )
    if len(name_text) > MAX_FIELD_LEN or _has_bad_chars(name_text):
        problems.append(
            PurposeProblem(
                "requester_name",
                f"The requester's name must be plain text of at most {MAX_FIELD_LEN} characters.",
                "requester_invalid",
            )
        )
    elif not name:
        problems.append(
            PurposeProblem(
                "requester_name",
                "Enter the name of the person at that agency who requested the data.",
                "requester_missing",
            )
        )
    else:
        words = [w for w in name.split() if re.search(r"[^\W\d_]", w)]
        if len(words) < 2 or not any(len(re.sub(r"[\W\d_]", "", w)) >= 2 for w in words):
            problems.append(
                PurposeProblem(
                    "requester_name",
                    "Give the requester's full name (first and last).",
                    "requester_incomplete",
                )
            )
    return problems


_ASK = "Say what happened, where or when, and what you are looking for."
# A good narrative, shown with the last narrative problem so the user sees what is wanted.
EXAMPLE_NARRATIVE = (
    "459 PC at a home on E 223rd St on 11/20 between 0900 and 1500 hrs; a neighbor saw a "
    "white Ford van in the driveway; need reads to identify the van and its registered owner."
)
_EXAMPLE = f"A good narrative reads like this: {EXAMPLE_NARRATIVE}"
# A date written out: 11/20, 11/20/2026, 2026-11-20, Nov 20, 20 November.
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE_RE = re.compile(
    rf"\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b{_MONTHS}\s\d{{1,2}}\b|\b\d{{1,2}}\s{_MONTHS}(?![a-z])",
    re.IGNORECASE,
)


def _narrative_problem(code: str, finding: str, advice: str = _ASK) -> PurposeProblem:
    return PurposeProblem("narrative", f"{finding} {advice}".strip(), code, finding)


def _with_example(problems: list[PurposeProblem]) -> list[PurposeProblem]:
    """The last narrative problem also shows a good narrative: once, after what is missing."""
    for i in range(len(problems) - 1, -1, -1):
        p = problems[i]
        if p.field == "narrative" and p.code not in ("narrative_copied", "narrative_bad_chars",
                                                      "narrative_too_long"):
            problems[i] = replace(p, message=f"{p.message} {_EXAMPLE}")
            break
    return problems


_HAS_DIGIT = re.compile(r"\d").search
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _rule_tokens(lower: str) -> list[str]:
    tokens = []
    for raw_token in _TOKEN_RE.findall(lower):
        token = raw_token.removesuffix("'s").replace("'", "")
        # "law-enforcement" is two words; "7-eleven" or a case number stays one identifier.
        if "-" not in token or _HAS_DIGIT(token):
            tokens.append(token)
        else:
            tokens.extend(part for part in token.split("-") if part)
    return tokens


def _check_narrative(
    value: object, others: Iterable[str], *, agency_request: bool = False
) -> tuple[str, list[PurposeProblem]]:
    raw = _text(value)
    if len(raw) > MAX_NARRATIVE_LEN * 2:
        # Refused before any normalization so that a huge paste costs nothing.
        return "", [
            _narrative_problem(
                "narrative_too_long",
                f"The narrative is longer than {MAX_NARRATIVE_LEN} characters; shorten it.", "",
            )
        ]
    if _has_bad_chars(raw):
        return "", [
            _narrative_problem(
                "narrative_bad_chars",
                "The narrative contains control or invisible characters; type it again.", "",
            )
        ]
    text = _clean(raw)
    if not text:
        return "", [_narrative_problem("narrative_missing", "Describe the purpose of this search.")]
    if len(text) > MAX_NARRATIVE_LEN:
        return "", [
            _narrative_problem(
                "narrative_too_long",
                f"The narrative is longer than {MAX_NARRATIVE_LEN} characters; shorten it.", "",
            )
        ]

    # The rules read the narrative with police shorthand spelled out ("S/ fled in wht veh");
    # the stored narrative stays as typed.
    typed_words = len(_rule_tokens(text.casefold().replace("\u2019", "'")))
    rule_text = expand_shorthand(text.replace("\u2019", "'"))
    lower = rule_text.casefold()
    tokens = _rule_tokens(lower)
    if not tokens:
        return "", [_narrative_problem("narrative_gibberish", "The narrative has no words.")]

    # A token with a digit is a number, a case number or a plate: not words that explain.
    identifiers = [t for t in tokens if _HAS_DIGIT(t)]
    words = [t for t in tokens if not _HAS_DIGIT(t)]
    content = [
        t
        for t in words
        if len(t) >= 2
        and t not in _STOPWORDS
        and t not in _GENERIC
        and t not in _LABEL_WORDS
        and not (t.endswith("s") and (t[:-1] in _GENERIC or t[:-1] in _LABEL_WORDS))
    ]

    if not content:
        if identifiers and all(
            t in _GENERIC or t in _STOPWORDS or t in {"urn", "no", "number", "num"} for t in words
        ):
            return "", [
                _narrative_problem(
                    "narrative_bare_identifier", "The narrative is only a case number or a plate."
                )
            ]
        return "", [
            _narrative_problem(
                "narrative_generic",
                "The narrative has only generic words or filler (such as 'investigation', "
                "'bolo', 'search' or 'n/a') or the category or offense name.",
            )
        ]

    letter_tokens = [t for t in words if len(t) >= 3 and t.isalpha()]
    mash = [t for t in letter_tokens if _is_mash(t)]
    letters = _NOT_LETTERS.sub("", lower)
    if (
        _PLACEHOLDER_RE.search(lower)
        or (letter_tokens and len(mash) * 2 >= len(letter_tokens))
        or _LETTER_RUN_RE.search(lower)
        or (len(letters) >= 8 and len(set(letters)) < 6)
    ):
        return "", [
            _narrative_problem(
                "narrative_gibberish",
                "The narrative is not meaningful text (keyboard mash, repeated letters or "
                "placeholder text).",
            )
        ]
    if len(tokens) >= 6 and len(set(tokens)) / len(tokens) < 0.34:
        return "", [
            _narrative_problem(
                "narrative_repetitive", "The narrative repeats the same words over and over."
            )
        ]

    # An outside agency's request is specific through its own case number (the case-number
    # field) and the window it asks for: the crime is the agency's to name, so neither a crime
    # word nor a description of the case is required, only the dates.
    agency_window = agency_request and bool(_DATE_RE.search(text))
    problems: list[PurposeProblem] = []
    if len(text) < MIN_NARRATIVE_CHARS or typed_words < MIN_NARRATIVE_WORDS:
        problems.append(
            _narrative_problem(
                "narrative_too_short",
                f"The narrative is too short: write at least {MIN_NARRATIVE_WORDS} words "
                f"({MIN_NARRATIVE_CHARS} characters).",
            )
        )
    elif len(set(content)) < MIN_CONTENT_WORDS and not agency_window:
        problems.append(
            _narrative_problem(
                "narrative_generic",
                "The narrative is mostly generic words; describe this case in particular.",
            )
        )
    # A status or a record ("known dealer", "priors for 459 PC") is read as no event at all.
    event_text = _NOT_EVENT_PHRASE_RE.sub(" ", lower)
    event_tokens = tokens if event_text == lower else _rule_tokens(event_text)
    citations = find_citations(event_text)
    has_event = (
        any(c.criminal for c in citations)
        or any(_is_event(t) for t in event_tokens)
        or bool(_EVENT_PHRASE_RE.search(event_text))
    )
    if not has_event and not agency_window:
        non_crimes = [c for c in citations if not c.criminal]
        if non_crimes:
            named = "; ".join(f"{c.label} is {c.what}" for c in non_crimes)
            problems.append(
                _narrative_problem(
                    "narrative_not_a_crime",
                    f"The narrative names no crime: {named}, not a crime.",
                    "ALPR data may be used only to investigate and prosecute crimes; say what "
                    "crime happened (for example: 417 PC, he threatened a neighbor with a knife).",
                )
            )
        elif agency_request:
            problems.append(
                _narrative_problem(
                    "narrative_no_window",
                    "The narrative does not give the dates the other agency asked for, nor "
                    "what crime happened.",
                    "Give the requested window and what they want (for example: reads of "
                    "8ABC123 from 11/01 to 11/05 for their case), or name the crime.",
                )
            )
        else:
            problems.append(
                _narrative_problem(
                    "narrative_no_event",
                    "The narrative does not say what crime happened; a sighting alone is not "
                    "enough.",
                    "Name the crime or say what happened (for example: a car was stolen, shots "
                    "were fired, a pedestrian was struck, 10851 VC).",
                )
            )
    if not _has_place_or_time(rule_text, tokens):
        problems.append(
            _narrative_problem(
                "narrative_no_place_time",
                "The narrative does not say where or when it happened.",
                "Add the place or the time (for example: on Avalon Blvd near 223rd St, on 11/20 "
                "at 2310 hrs).",
            )
        )
    if not agency_window and not _has_objective(rule_text, lower):
        problems.append(
            _narrative_problem(
                "narrative_no_objective",
                "The narrative does not say what you are looking for.",
                "Say what the reads should show (for example: to identify the suspect vehicle, "
                "to confirm whether the van was in the area, need a timeline of its movements).",
            )
        )
    if _PROHIBITED_RE.search(text) or _ICE_RE.search(text):
        problems.append(
            _narrative_problem(
                "narrative_prohibited_use",
                "The narrative describes a use the policy does not authorize (a personal "
                "matter, immigration enforcement, a civil matter, a test or training).",
                "ALPR data may be used only to investigate and prosecute crimes.",
            )
        )
    mine = _CopyKey(text)
    for other in others:
        if isinstance(other, str) and mine.copies(_CopyKey(other)):
            problems.append(
                _narrative_problem(
                    "narrative_copied",
                    "The narrative copies a purpose entered by another user.",
                    "Describe in your own words why you are searching.",
                )
            )
            break
    return text, problems


# --------------------------------------------------------------------------------------------
# Public API


def _check(
    p: PurposeInput,
    case_formats: Sequence[str | CaseFormat],
    others_narratives: Iterable[str],
) -> tuple[Purpose | None, list[PurposeProblem]]:
    if case_formats is DEFAULT_CASE_FORMAT_REGEXES or case_formats is DEFAULT_CASE_FORMATS:
        compiled: Sequence[re.Pattern[str]] = _DEFAULT_COMPILED
    else:
        compiled = compile_case_formats(case_formats)
    problems: list[PurposeProblem] = []
    category, found = _check_category(getattr(p, "category", None))
    problems += found
    offense, found = _check_offense(getattr(p, "offense", None))
    problems += found
    case_number, found = _check_case_number(getattr(p, "case_number", None), case_formats,
                                            compiled)
    problems += found
    narrative, found = _check_narrative(
        getattr(p, "narrative", None), others_narratives,
        agency_request=category is PurposeCategory.AGENCY_REQUEST,
    )
    problems += found
    agency = name = ""
    if category is PurposeCategory.AGENCY_REQUEST:
        found = _check_agency_fields(
            getattr(p, "requesting_agency", None), getattr(p, "requester_name", None)
        )
        problems += found
        if not found:
            agency = _clean(_text(p.requesting_agency))
            name = _clean(_text(p.requester_name))
    if getattr(p, "acknowledged", False) is not True:
        problems.append(
            PurposeProblem(
                "acknowledged",
                "Acknowledge that ALPR data may be used only to deter crime and to aid the "
                "investigation and prosecution of crimes (policy section 1).",
                "not_acknowledged",
            )
        )
    if problems or category is None:
        return None, _with_example(problems)
    return Purpose(
        category=category,
        offense=offense,
        case_number=case_number,
        narrative=narrative,
        requesting_agency=agency,
        requester_name=name,
    ), []


def check_purpose(
    p: PurposeInput,
    *,
    case_formats: Sequence[str | CaseFormat] = DEFAULT_CASE_FORMAT_REGEXES,
    others_narratives: Iterable[str] = (),
) -> list[PurposeProblem]:
    """Every reason ``p`` is not an acceptable purpose; an empty list means it is acceptable.

    ``case_formats`` are the configured case-number formats (regex strings or CaseFormat);
    an invalid one raises ValueError. ``others_narratives`` are earlier narratives of other
    users (never the user's own), used to refuse copied text.
    """
    return _check(p, case_formats, others_narratives)[1]


def validate_purpose(
    p: PurposeInput,
    *,
    case_formats: Sequence[str | CaseFormat] = DEFAULT_CASE_FORMAT_REGEXES,
    others_narratives: Iterable[str] = (),
) -> Purpose:
    """The normalized Purpose for ``p``, or PurposeRejected listing every problem.

    Agency and requester are kept only for an agency request; for the other categories the
    searching user's own agency is what the access log records.
    """
    purpose, problems = _check(p, case_formats, others_narratives)
    if purpose is None:
        raise PurposeRejected(problems)
    return purpose
