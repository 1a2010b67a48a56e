"""Write data/raw/manifest.csv from the mirror's catalog.csv (run once; kept for the record).

Usage: python tools/make_manifest.py ../shared/data/catalog.csv > data/raw/manifest.csv

Keys are the project's names for the files; the publisher pages come from each
folder's PROVENANCE.md.  `retrieved` is the date the mirror was assembled
(PROVENANCE.md: "Assembled 2026-11").
"""
import csv
import re
import sys

PUBLISHER_PAGES = {
    "eu_rd_scoreboard": "https://iri.jrc.ec.europa.eu/scoreboard",
    "rd_panel_secondary": "https://github.com/mikcop/Innovation-and-Profitability",
    "fx_annual": "https://www.federalreserve.gov/releases/g5a/",
    "world_bank_population": "http://data.worldbank.org/indicator/SP.POP.TOTL",
    "un_wpp2019_projection": "https://population.un.org/wpp/",
    "un_wpp2022_world": "https://population.un.org/wpp/Download/Standard/MostUsed/",
    "un_wpp2022_countries": "https://population.un.org/wpp/Download/Standard/MostUsed/",
    "ebola_cdc": "https://www.cdc.gov/vhf/ebola/history/2014-2016-outbreak/case-counts.html",
    "ebola_who_timeseries": "https://github.com/cmrivers/ebola",
    "ebola_who_gho_2016_01": "https://www.who.int/data/gho",
    "ebola_who_gho_2016_03": "https://www.who.int/data/gho",
    "earthquake_deaths": "https://www.ngdc.noaa.gov/hazard/earthqk.shtml",
    "nvd_cve_feeds": "https://nvd.nist.gov/vuln/data-feeds",
    "cc_portal_active": "https://www.commoncriteriaportal.org/products/",
    "nist_cmvp": "https://csrc.nist.gov/projects/cryptographic-module-validation-program/validated-modules/search",
    "article": "https://technologygist.com/huawei-is-not-spying-on-customers-mrs-joy-tan-assures/",
}

# Small inputs committed to the repository (everything else is fetched and git-ignored).
COMMITTED = {"article", "hand_gathered"}


def key_for(row):
    """The project's key for one catalog row, e.g. scoreboard_2019 or nvd_cve_2012."""
    file, dataset = row["file"], row["dataset"]
    if dataset == "eu_rd_scoreboard":
        return "scoreboard_" + re.search(r"SB(\d{4})", file).group(1)
    if dataset == "nvd_cve_feeds":
        return "nvd_cve_" + re.search(r"(\d{4})\.json", file).group(1)
    if dataset == "world_bank_population":
        return "wb_population_" + re.search(r"(\d{4}-\d\d-\d\d)", file).group(1).replace("-", "_")
    if dataset == "hand_gathered":
        stem = file.rsplit("/", 1)[1].removesuffix(".csv")
        folder = file.split("/")[0]
        return {"facts": f"facts_{folder}", "incident_timeline": "incident_timeline",
                "cc_certification_reports_seen": "cc_reports_seen"}[stem]
    return {"rd_panel_secondary": "rd_panel_2015_2018", "fx_annual": "fx_annual_fred",
            "earthquake_deaths": "earthquake_deaths_noaa", "cc_portal_active": "cc_portal_active_2025_12",
            "nist_cmvp": "nist_cmvp_2026_04_15"}.get(dataset, dataset)


def main(catalog):
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["key", "file", "sha256", "bytes", "url", "publisher_page", "publisher",
                  "licence", "origin", "retrieved", "mirror_only", "committed", "note"])
    with open(catalog, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["dataset"] == "article":
                continue  # an article is pinned in its own folder (articles/<slug>/article.yaml)
            out.writerow([
                key_for(row), row["file"], row["sha256"], row["bytes"], row["url"],
                PUBLISHER_PAGES.get(row["dataset"], row["url"]), row["publisher"], row["licence"],
                row["origin"], "2026-11", "yes" if not row["url"] else "no",
                "yes" if row["dataset"] in COMMITTED else "no", row["note"],
            ])


if __name__ == "__main__":
    main(sys.argv[1])
