"""Certifications: vendor matching, CMVP and Common Criteria tables, the certificate measures on the real
registries, and the three claims' verdicts (through the ledger and the judge).

Expected values were read off the raw files (CMVP certificates #2436, #2651, #3058; the CC reports seen;
the portal's active list) and cross-checked against PROVENANCE.md's spot checks and the cited fact rows.
"""
import pytest
from conftest import require_raw

from analysis.claims import audit
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import certifications as certs
from analysis.data import facts
from analysis.errors import DataSchemaError
from analysis.measures import certificates

CLAIMED = "facts_certifications/Huawei/cc_claims_in_huawei_annual_report/as of 2019-12-31 (report period)"


# ---- vendor matching -------------------------------------------------------------------------

@pytest.mark.parametrize("name, vendor", [
    ("Huawei Technologies Co., Ltd.", "Huawei"),
    ("Huawei Technologies CO., Ltd.", "Huawei"),
    ("Huawei Device (Dongguan) Co. Ltd.", "Huawei"),
    ("Huawei Technologies España, SL", "Huawei"),
    ("HiSilicon (Huawei Industrial Base, Shenzhen)", "Huawei"),
    ("Cisco Systems, Inc", "Cisco"),
    ("Cisco Systems, Inc. 170 West Tasman  Dr.  San Jose, CA 95134-1706 USA", "Cisco"),
    ("Juniper Networks", "Juniper"),
    ("HPE Juniper Networking", "Juniper"),
    ("Nokia of America Corporation (NoAC)", "Nokia"),
    ("NOKIA SOLUTIONS AND NETWORKS OY", "Nokia"),
    ("Alcatel-Lucent", "Nokia"),
    ("Alcatel", "Nokia"),
    ("Lucent Technologies, Inc.", "Nokia"),
    ("Ericsson Enterprise Wireless Solutions, Inc.", "Ericsson"),
    ("ZTE Corporation", "ZTE"),
    ("SAMSUNG ELECTRONICS INC.", "Samsung"),
    ("Samsung Electronic Co. Ltd.", "Samsung"),
    ("Samsung", "Samsung"),
    ("Apple, Inc.", "Apple"),
])
def test_registry_names_match_their_vendor(name, vendor):
    assert certs.match_vendor(name) == vendor


@pytest.mark.parametrize("near_miss", [
    "Certis CISCO Security Pte Ltd (Certis)",   # a different company with CISCO in its name
    "Alcatel-Lucent Enterprise USA Inc.",       # separately owned since 2014: not Nokia
    "Alcatel Lucent Enterprise USA Inc.",
    "Samsung SDS Co., Ltd.",                    # another Samsung group company
    "Applied Signal Technology, Inc.",          # starts with "Appl"
    "Pineapple Systems",
    "ZTEK Corporation",                          # starts with "ZTE"
    "Nokian Tyres",
    "Juniper Research",
    "Sony Ericsson Mobile",                     # Ericsson not at the start
])
def test_near_misses_do_not_match(near_miss):
    assert certs.match_vendor(near_miss) is None


def test_unknown_vendor_and_bad_cutoff_are_errors():
    with pytest.raises(ValueError, match=r"unknown vendor\(s\) \['Nokla'\]"):
        certs.cmvp_by_year("2018-12-31", ["Huawei", "Nokla"])
    for bad in ("2018", "31/12/2018", "2018-13-01"):
        with pytest.raises(ValueError, match="cutoff_date must be an ISO date"):
            certs.check_cutoff(bad)


def test_parse_eal():
    assert certs.parse_eal("components up to EAL3 (CCRA); SOGIS up to EAL2") == 3
    assert certs.parse_eal("EAL5+,ALC_DVS.2,AVA_VAN.5") == 5
    assert certs.parse_eal("EAL 2 + ALC_FLR.2") == 2
    assert certs.parse_eal("not in excerpt seen") is None


# ---- CMVP ------------------------------------------------------------------------------------

def test_huawei_cmvp_certificates_up_to_2018():
    summary = certs.cmvp_summary("2018-12-31", ["Huawei"]).iloc[0]
    # PROVENANCE spot check: Huawei's first certificate is #2436 of 2015-08-26
    assert summary["first_certificate"] == "2015-08-26"
    assert (summary["certificates"], summary["level_1"], summary["level_2"], summary["highest_level"]) == (17, 1, 16, 2)
    assert certs.cmvp_by_year("2018-12-31", ["Huawei"])["Huawei"].to_dict() == {2015: 1, 2016: 1, 2017: 15}


def test_peer_cmvp_levels_up_to_2018():
    summary = certs.cmvp_summary("2018-12-31").set_index("vendor")
    assert summary["certificates"].to_dict() == {"Huawei": 17, "Cisco": 200, "Juniper": 70, "Nokia": 20,
                                                 "Ericsson": 1, "ZTE": 2, "Samsung": 30, "Apple": 26}
    assert summary["highest_level"].max() == 2
    assert summary.loc["Apple", "highest_level"] == 1


def test_cutoff_moves_the_counts():
    assert certs.cmvp_summary("2016-12-31", ["Huawei"]).iloc[0]["certificates"] == 2
    assert certs.cmvp_summary("2015-12-31", ["Huawei"]).iloc[0]["highest_level"] == 1
    assert certs.cmvp_summary("2014-12-31", ["Huawei"]).iloc[0]["certificates"] == 0
    assert certs.cmvp_summary("2026-04-15", ["Huawei"]).iloc[0]["certificates"] == 22


def test_industry_best_and_scale_maxima():
    assert certs.fips_scale_maximum() == 4
    assert certs.eal_scale_maximum() == 7
    assert certs.industry_best("cmvp", "2018-12-31") == 4
    assert certs.industry_best("cmvp", "1995-12-31") == 1   # certificate #1, Entrust, 1995-10-12, level 1
    assert certs.industry_best("cmvp", "1990-01-01") == 0
    assert certs.industry_best("cc_active", "2018-12-31") == 5


# ---- Common Criteria ---------------------------------------------------------------------------

def test_cc_highest_seen_up_to_2018():
    cc = certs.cc_highest("2018-12-31").set_index("vendor")
    assert cc.loc["Huawei", "reports_seen"] == 10     # facts row cc_reports_seen_with_date_le_2018_12_31
    assert int(facts.lookup("facts_certifications", entity="Huawei",
                            metric="cc_reports_seen_with_date_le_2018_12_31").number()) == 10
    assert cc.loc["Huawei", "highest_eal_seen"] == 3
    assert cc.loc["ZTE", "highest_eal_seen"] == 2      # SERTIT-37, EAL 2 + ALC_FLR.2
    # PROVENANCE: of these vendors only Samsung has an active-list certificate dated up to 2018
    assert cc["active_list_certificates"].to_dict() == {"Huawei": 0, "Cisco": 0, "Juniper": 0, "Nokia": 0,
                                                        "Ericsson": 0, "ZTE": 0, "Samsung": 1, "Apple": 0}
    assert cc.loc["Samsung", "eal_in_active_list"] == 5


def test_reference_comparison_under_each_reference():
    def statuses(reference, peers=certs.PEERS, cutoff="2018-12-31"):
        m = certificates.reference_comparison("Huawei", cutoff, reference, list(peers), {"Common Criteria": CLAIMED})
        return [status for _, status in m.value], m

    outcomes = {ref: statuses(ref)[0] for ref in certs.REFERENCES}
    # FIPS: two CMVP numbers missing from the snapshot may date from 2018 or before, so Huawei's level and
    # the registry's best are lower bounds and no FIPS comparison is decided
    assert outcomes == {"scale_maximum": ["undocumented", "others only"],
                        "industry_best": ["undocumented", "undocumented"],
                        "peer_best": ["undocumented", "undocumented"]}
    # without Cisco, Juniper, Nokia and Samsung the peers' best FIPS level is 1: Huawei's 2 reaches it too
    _, few = statuses("peer_best", ["Ericsson", "ZTE", "Apple"])
    assert [few.details["scales"][s]["reference_level"] for s in ("FIPS 140", "Common Criteria")] == [1, 2]
    # before Huawei's first level-2 certificate (2016-06-03) its level 1 is below the peers' level 2, but the
    # missing number 1844 (2012) may be a higher Huawei module, so that is not decided either
    assert statuses("peer_best", cutoff="2015-12-31")[0][0] == "undocumented"
    assert statuses("peer_best", cutoff="2012-01-01")[1].details["scales"]["FIPS 140"]["complete"] is True


# ---- the three claims ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


def test_notebook_verdicts_under_defaults(ledger):
    found = {a.claim_id: a.verdict for a in audit.assess_notebook("04_certifications", {}, ledger)}
    assert found == {"highest-security-ratings": Verdict.NOT_CHECKABLE,
                     "independently-validated": Verdict.SUPPORTED_WITH_CAVEATS,
                     "cyber-essentials-plus-2018": Verdict.NOT_CHECKABLE}


def test_highest_verdict_moves_with_reference_and_cutoff(ledger):
    claim = ledger.claim("highest-security-ratings")
    params = claim.parameters
    a = audit.assess_claim(claim, params)
    # level 2 is a lower bound (CMVP numbers 1844 and 3204 are missing), so "below level 4" is not decided
    assert (a.verdict, a.measured_value) == (Verdict.NOT_CHECKABLE,
                                             "FIPS 140 level 2 vs 4; CC EAL3 vs EAL7")
    assert a.rule.endswith("level 2 vs 4: undocumented; CC EAL3 vs EAL7: undocumented")
    measured = audit.measurement_of(claim, params)
    assert measured.details["comparison"] == "FIPS 140 level 2 vs 4; CC EAL3 vs EAL7"
    assert a.sources[0].ref == "data/raw/certifications/nist_cmvp_validated_modules_2026-04-15.csv#L2651"
    industry = audit.assess_claim(claim, {**params, "highest_reference": "industry_best"})
    assert industry.verdict is Verdict.NOT_CHECKABLE and industry.rule.endswith("undocumented; "
                                                                                "CC EAL3 vs ≥ EAL5 (lower bound): undocumented")
    peer = audit.measurement_of(claim, {**params, "highest_reference": "peer_best"})
    assert len(peer.caveats) == 1 and "(1844, 3204)" in peer.caveats[0]
    assert peer.details["comparison"].endswith("vs ≥ EAL5 (lower bound)")   # Samsung's 2015 chip certificate
    few = audit.measurement_of(claim, {**params, "highest_reference": "peer_best", "peers": ["Cisco", "Apple"]})
    assert few.details["comparison"].endswith("vs no certificate seen")
    early = audit.assess_claim(claim, {**params, "highest_reference": "peer_best", "cutoff_date": "2015-12-31"})
    assert early.verdict is Verdict.NOT_CHECKABLE
    # the notebook parameter overrides the ledger's value
    moved = audit.assess_notebook("04_certifications", {"highest_reference": "peer_best"}, ledger)[0]
    assert (moved.verdict, moved.measured_value) == (
        Verdict.NOT_CHECKABLE, "FIPS 140 level 2 vs ≥ level 2 (lower bound); CC EAL3 vs ≥ EAL5 (lower bound)")
    assert moved.rule.endswith(": undocumented; CC EAL3 vs ≥ EAL5 (lower bound): undocumented")


def test_independent_verdict_and_what_moves_it(ledger):
    claim = ledger.claim("independently-validated")
    a = audit.assess_claim(claim, claim.parameters)
    assert (a.measured_value, a.verdict) == (27, Verdict.SUPPORTED_WITH_CAVEATS)
    m = audit.measurement_of(claim, claim.parameters)
    assert m.details["by_registry"] == {"cmvp": 17, "cc_reports": 10} and m.details["lower_bound"]
    assert len(m.details["labs"]) == 5
    # CMVP misses two numbers by then, so it is cited by the rows counted (first and last), not as a whole
    assert [s.ref.rsplit("/", 1)[-1] for s in a.sources] == ["nist_cmvp_validated_modules_2026-04-15.csv#L2436",
                                                             "nist_cmvp_validated_modules_2026-04-15.csv#L3058",
                                                             "cc_certification_reports_seen.csv#L2",
                                                             "cc_certification_reports_seen.csv#L11"]
    assert audit.assess_claim(claim, {**claim.parameters, "cutoff_date": "2017-12-31"}).measured_value == 24
    # the registries are incomplete, so the count is a lower bound: below the threshold it cannot refute the
    # claim (judge's lower_bound policy), before Huawei's first certificate as with a higher threshold
    early = audit.assess_claim(claim, {**claim.parameters, "cutoff_date": "2010-12-31"})
    assert (early.measured_value, early.verdict) == (0, Verdict.NOT_CHECKABLE)
    many = audit.assess_claim(claim, {**claim.parameters, "min_certificates": 30})
    assert (many.stated_value, many.verdict, many.rule) == (30, Verdict.NOT_CHECKABLE, "reported ≥ 27 does not settle ≥ 30")


def test_independent_certificates_table():
    table = certs.independent_certificates("2018-12-31")
    assert len(table) == 27 and table["complete_registry"].sum() == 17
    assert table.iloc[0]["id"] == "2010-15-INF-681 v1"
    assert "#3058" in set(table["id"])   # Huawei USG 9520/9560/9580 Firewall, 2017-11-07
    # the measure counts what the notebook's table lists
    assert certificates.certificate_count("Huawei", ["cmvp", "cc_reports"], "2018-12-31").value == len(table)


def test_oversight_board_limited_assurance_is_in_the_timeline():
    findings = certs.oversight_board_findings("2018-12-31")
    assert findings["finding"].str.contains("limited assurance", case=False).any()
    assert not certs.oversight_board_findings("2017-12-31")["finding"].str.contains("limited assurance",
                                                                                     case=False).any()


def test_cyber_essentials_is_not_checkable_and_cites_the_search(ledger):
    claim = ledger.claim("cyber-essentials-plus-2018")
    a = audit.assess_claim(claim, claim.parameters)
    assert (a.verdict, a.measured_value, a.policies) == (Verdict.NOT_CHECKABLE, None, ["unavailable"])
    assert a.sources[-1].ref == "data/raw/certifications/facts.csv#L10"
    assert facts.by_id(claim.args["facts_checked"][-1]).value == "NOT FOUND"
    levels = certs.cyber_essentials_facts().set_index("metric")
    assert levels.loc["number_of_certification_levels", "value"] == "2"


# ---- raw files ----------------------------------------------------------------------------------

def test_raw_cmvp_spot_checks():
    require_raw("nist_cmvp_2026_04_15")
    raw = certs.read_cmvp().set_index("certificate_number")
    assert len(raw) == 5229           # 5,231 rows, 2 without vendor and dates
    assert raw.loc[1000, "vendor_name"].startswith("Microsoft")    # PROVENANCE spot check
    assert raw.loc[1000, "first_validation_date"] == "2008-08-15"
    assert raw.loc[2436, ["vendor", "first_validation_date"]].tolist() == ["Huawei", "2015-08-26"]


def test_raw_cc_active_list_repairs_the_broken_rows_and_counts_certificates():
    require_raw("cc_portal_active_2025_12")
    table = certs.read_cc_active()
    assert len(table) == 1772          # PROVENANCE: 2,160 rows = 1,772 distinct certificates
    assert table["manufacturer"].nunique() == 396
    assert (table["certification_date"] <= "2018-12-31").sum() > 0
    assert table["product"].str.startswith("NXP JCOP6.x on SN200.C04 Secure Element").any()


def test_renamed_cmvp_column_is_named(tmp_path):
    require_raw("nist_cmvp_2026_04_15")
    from analysis.data import manifest

    entry = manifest.get("nist_cmvp_2026_04_15")
    target = tmp_path / entry.file
    target.parent.mkdir(parents=True)
    lines = entry.path.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text(lines[0].replace("overall_level", "level") + "".join(lines[1:20]), encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"nist_cmvp_validated_modules_2026-04-15.csv: column\(s\) \['overall_level'\]"):
        certs.read_cmvp(raw_dir=tmp_path)


@pytest.mark.parametrize("cutoff", ["1996-12-31", "2015-12-31", "2018-12-31", "2026-01-01"])
def test_measured_highest_levels_agree_with_the_summary_tables(cutoff):
    """The measure's highest level per vendor equals the notebook's per-vendor tables."""
    vendors = list(certs.VENDORS)
    cmvp = certs.cmvp_summary(cutoff, vendors).set_index("vendor")["highest_level"]
    cc = certs.cc_highest(cutoff, vendors).set_index("vendor")["highest_eal_seen"]
    for vendor in vendors:
        assert certificates.highest_level(vendor, ["cmvp"], cutoff).value == cmvp[vendor]
        assert certificates.highest_level(vendor, ["cc_reports", "cc_active"], cutoff).value == cc[vendor]
    assert certificates.highest_level("any", ["cmvp"], cutoff).value == certs.industry_best("cmvp", cutoff)


def test_the_recorded_missing_cmvp_numbers_are_those_of_the_raw_snapshot():
    # 11 numbers of 1–5242 are absent from the snapshot; two can date from up to the end of 2018
    missing = certs.cmvp_missing_numbers()
    assert missing == certs.CMVP_MISSING and len(missing) == 11
    assert certs.cmvp_missing_by("2018-12-31") == (1844, 3204)
