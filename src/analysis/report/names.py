"""Plain names for what the data call by code: datasets, fact rows, raw columns, links whose text is a slug.

The report shows a reader words, never a file key or a snake_case name; the code names stay where a reviewer
can still find the row (a ``title`` or data attribute, the link address, a command in ``<kbd>``). Each
function here is one declared rule, with overrides where the mechanical rule reads wrong:

- :func:`dataset_title`: a manifest dataset's title, from a pattern on its key (the key encodes the
  publication, edition and date: ``scoreboard_2019``, ``wb_population_2020_04_14``), else its publisher and note;
- :func:`metric_words` and :func:`fact_label`: a hand-gathered fact row named by its own columns (entity,
  metric, period), the metric's underscores read as words;
- :func:`column_header`: a raw column name as a header (``certificate_number`` → "Certificate number");
- :func:`url_title`: a link's text when the data give only its address (the address's last segment as words),
  :func:`url_site` when only the site is worth reading;
- :func:`publisher_name` and :func:`origin_words`: the manifest's publisher and origin without file names.

>>> dataset_title("scoreboard_2019")
'EU Industrial R&D Investment Scoreboard, 2019 edition'
>>> fact_label({"entity": "Clifford Chance", "metric": "review_of_Zhong_Lun", "period": "2019"})
'Clifford Chance, review of Zhong Lun, 2019'
>>> column_header("first_validation_date"), column_header("security_policy_url")
('First validation date', 'Security policy URL')
"""
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlparse

from analysis.data import manifest as _manifest

#: A manifest key's title, by pattern: the first pattern that matches the whole key wins; its named groups
#: (and ``date``, the groups ``y``, ``m``, ``d`` joined as an ISO date) fill the title. A key no pattern
#: matches is titled by its publisher and note (:func:`dataset_title`).
TITLES = (
    (r"scoreboard_(?P<y>\d{4})", "EU Industrial R&D Investment Scoreboard, {y} edition"),
    (r"rd_panel_(?P<a>\d{4})_(?P<b>\d{4})", "Panel of company R&D figures, {a}–{b} (publisher unknown)"),
    (r"fx_annual_fred", "Annual exchange rates of the US Federal Reserve (via FRED)"),
    (r"wb_population_(?P<y>\d{4})_(?P<m>\d\d)_(?P<d>\d\d)", "World Bank population totals, release of {date}"),
    (r"un_wpp(?P<y>\d{4})_projection", "UN World Population Prospects {y}, medium-variant projections"),
    (r"un_wpp(?P<y>\d{4})_world", "UN World Population Prospects {y}, world population"),
    (r"un_wpp(?P<y>\d{4})_countries", "UN World Population Prospects {y}, population by country"),
    (r"ebola_cdc", "Ebola case counts of the US CDC"),
    (r"ebola_who_timeseries", "Ebola cases and deaths by country from WHO reports"),
    (r"ebola_who_gho_(?P<y>\d{4})_(?P<m>\d\d)", "Ebola figures for Sierra Leone from the WHO Global Health "
                                                "Observatory, snapshot of {date}"),
    (r"earthquake_deaths_noaa", "Earthquake deaths of the NOAA (via Our World in Data)"),
    (r"nvd_cve_(?P<y>\d{4})", "National Vulnerability Database, vulnerabilities (CVEs) of {y}"),
    (r"cc_portal_active_(?P<y>\d{4})_(?P<m>\d\d)", "Common Criteria portal, active certified products, "
                                                   "snapshot of {date}"),
    (r"nist_cmvp_(?P<y>\d{4})_(?P<m>\d\d)_(?P<d>\d\d)", "NIST validated cryptographic modules (FIPS 140), "
                                                        "snapshot of {date}"),
    (r"incident_timeline", "Timeline of government reviews and security incidents, gathered by hand"),
    (r"cc_reports_seen", "Common Criteria certification reports, gathered by hand"),
    (r"facts_(?P<theme>\w+)", "Facts gathered by hand: {theme}"),
    (r"source_ties", "Authors tied to the claimant, gathered by hand"),
    (r"source_entities", "Firms that count as one vendor, gathered by hand"),
)

#: How a word of a code name reads (matched case-sensitively, after dates are joined): abbreviations,
#: proper names written in lower case, and the markers some fact metrics carry in capitals.
WORDS = {
    "url": "URL", "id": "ID", "cve": "CVE", "cc": "Common Criteria", "eal6plus": "EAL6+", "wb": "World Bank",
    "le": "on or before", "incl": "including", "vs": "against",
    "huawei": "Huawei", "japan": "Japan", "kpn": "KPN", "DERIVED": "(derived)", "CONFLICT": "(sources conflict)",
    "NPA": "(National Police Agency)",
}

#: Whole names the word rule reads wrong, as they should read.
OVERRIDES = {
    "staff_stayed_claim_company_source": "staff stayed (the company's own account)",
    "japan_role_2011_contemporary": "role in Japan in 2011 (a report of the time)",
    "japan_base_stations_restored_claim": "base stations restored in Japan (claim)",
    "cave_role_company_account": "role at the cave (the company's own account)",
    "number_of_law_firms_claim": "number of law firms (claim)",
    "first_case_month_per_WHO_rep": "month of the first case (WHO representative)",
    "in_window_le_2019_06_30": "dated on or before 2019-06-30",
    "share_3e9_of_population_DERIVED": "share of 3 billion in the population (derived)",
    "op-ed_publication": "publication of the op-ed",
    "wpp2019": "UN World Population Prospects 2019",
}

#: Words of a code name read by pattern (after :data:`WORDS`): a UN World Population Prospects edition, a
#: vintage written against its date.
WORD_PATTERNS = ((re.compile(r"wpp(\d{4})"), r"UN World Population Prospects \1"),
                 (re.compile(r"vintage(\d[\d-]*)"), r"vintage \1"))
#: Leading words of a code name read as a phrase: a company's claim is said to be one.
PREFIXES = (("company_claim_", "the company's claim: "),)

_DATE = re.compile(r"(?<![0-9])(\d{4})_(\d\d)(?:_(\d\d))?(?![0-9])")


def _date(y: str, m: str = "", d: str = "") -> str:
    return "-".join(p for p in (y, m, d) if p)


def _words(name: str) -> str:
    """A code name's words: a declared override, or dates joined, each word read by :data:`WORDS`, underscores
    made spaces. A name that is already words (no underscore) is returned unchanged."""
    name = str(name).strip()
    if name in OVERRIDES:
        return OVERRIDES[name]
    if "_" not in name:
        return name
    lead = next((words for prefix, words in PREFIXES if name.startswith(prefix)), "")
    name = next((name[len(prefix):] for prefix, _ in PREFIXES if name.startswith(prefix)), name)
    name = _DATE.sub(lambda m: _date(*m.groups(default="")), name)
    return lead + " ".join(_word(word) for word in name.split("_") if word)


def _word(word: str) -> str:
    if word in WORDS:
        return WORDS[word]
    for pattern, words in WORD_PATTERNS:
        if pattern.fullmatch(word):
            return pattern.sub(words, word)
    return word


def metric_words(metric: str) -> str:
    """A fact row's metric in words (the metric column of ``data/raw/<theme>/facts.csv``).

    >>> metric_words("deaths_NPA"), metric_words("R&D investment")
    ('deaths (National Police Agency)', 'R&D investment')
    >>> metric_words("cc_reports_seen_with_date_le_2018_12_31")
    'Common Criteria reports seen with date on or before 2018-12-31'
    """
    return _words(metric)


def column_header(name: str) -> str:
    """A raw file's column name as a table header: words, the first capitalised.

    >>> column_header("certificate_number"), column_header("Country Name"), column_header("huawei_response")
    ('Certificate number', 'Country Name', 'Huawei response')
    >>> column_header("in_window_le_2019_06_30")
    'Dated on or before 2019-06-30'
    """
    words = _words(name)
    return words[:1].upper() + words[1:]


def fact_label(fields: Mapping) -> str:
    """What a hand-gathered fact row is about, from its own columns: entity, metric in words, period.

    >>> fact_label({"entity": "Japan", "metric": "deaths_NPA", "period": "as of 2018-03-01", "value": "15895"})
    'Japan, deaths (National Police Agency), as of 2018-03-01'
    >>> fact_label({"entity": "Huawei", "metric": "Revenue"})
    'Huawei, Revenue'
    """
    parts = (fields.get("entity", ""), metric_words(fields.get("metric", "")), fields.get("period", ""))
    return ", ".join(str(p).strip() for p in parts if str(p or "").strip())


def _dataset(dataset) -> object:
    return _manifest.get(dataset) if isinstance(dataset, str) else dataset


def dataset_title(dataset) -> str:
    """A dataset's plain title, by the first of :data:`TITLES` that matches its key, else its publisher and
    note. ``dataset`` is a manifest :class:`~analysis.data.manifest.Dataset` or its key.

    >>> dataset_title("wb_population_2020_04_14")
    'World Bank population totals, release of 2020-04-14'
    >>> dataset_title("facts_rd_spending")
    'Facts gathered by hand: R&D spending'
    """
    entry = _dataset(dataset)
    for pattern, template in TITLES:
        match = re.fullmatch(pattern, entry.key)
        if match:
            groups = match.groupdict()
            date = _date(groups.get("y") or "", groups.get("m") or "", groups.get("d") or "")
            return template.format(**{**groups, "theme": _theme(groups.get("theme", ""))}, date=date)
    return ", ".join(p for p in (publisher_name(entry), entry.note) if p)


#: A hand-gathered table's theme (the folder below ``data/raw``) in words.
THEMES = {"rd_spending": "R&D spending", "incidents": "security record", "population": "population and users"}


def _theme(theme: str) -> str:
    return THEMES.get(theme, _words(theme))


#: A file name at the end of a publisher field ("Common Criteria portal certified_products.csv"): the file,
#: not the publisher (the file itself is named by the dataset's address).
_FILE_NAME = re.compile(r"\s+\S+\.(?:csv|tsv|json|zip|gz|txt|xlsx?)$")


def publisher_name(dataset) -> str:
    """The manifest's publisher without a trailing file name.

    >>> publisher_name("cc_portal_active_2025_12")
    'Common Criteria portal'
    >>> publisher_name("fx_annual_fred")
    'US Federal Reserve H.10/G.5A via FRED'
    """
    return _FILE_NAME.sub("", _dataset(dataset).publisher)


_ORIGIN = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40}):(?P<path>.+)$")


def origin_words(origin: str) -> str:
    """Where a pinned copy comes from, in words: a ``repository@commit:path`` origin as the repository and
    the commit's first 8 characters (the path is the file the address names); any other text unchanged.

    >>> origin_words("veghmark12/r_d_investments@f3018d54d145fc8ad4f6a95ac3ce2911ad75f87d:SB2017_World2500.csv")
    'GitHub repository veghmark12/r_d_investments, commit f3018d54'
    >>> origin_words("see PROVENANCE.md")
    'see PROVENANCE.md'
    """
    match = _ORIGIN.match(str(origin or "").strip())
    if not match:
        return str(origin or "")
    return f"GitHub repository {match['repo']}, commit {match['commit'][:8]}"


_NUMBER_ID = re.compile(r"[_-]\d{4,}$")


def url_site(url: str) -> str:
    """The site of an address, for a link whose address is not worth reading (a pinned download).

    >>> url_site("https://raw.githubusercontent.com/owner/repo/0123/file_name.csv")
    'raw.githubusercontent.com'
    """
    return urlparse(str(url or "").strip()).netloc.lower().removeprefix("www.")


def url_title(url: str) -> str:
    """A title for a link whose text would be its address: the address's last path segment as words (its
    file extension and a trailing number id dropped), then the site; the bare site if the path says nothing.

    >>> url_title("https://theepochtimes.com/china-spied-on-african-union-according-to-french-newspaper_2428856.html")
    'China spied on african union according to french newspaper (theepochtimes.com)'
    >>> url_title("https://www.example.org/")
    'example.org'
    """
    parsed = urlparse(str(url or "").strip())
    site = url_site(url)
    segments = [s for s in unquote(parsed.path).split("/") if s]
    slug = re.sub(r"\.[A-Za-z0-9]{2,5}$", "", segments[-1]) if segments else ""
    slug = _NUMBER_ID.sub("", slug)
    words = " ".join(w for w in re.split(r"[-_+\s]+", slug) if w)
    if not re.search(r"[A-Za-z]{3}", words):
        return site
    return f"{words[:1].upper() + words[1:]} ({site})"
