"""The one entity table: CVE counts and certificate counts group firms into vendors the same way."""
from analysis.data import certifications, entities, nvd


def test_both_registries_know_the_same_vendors():
    assert tuple(nvd.VENDORS) == entities.vendors() == certifications.VENDORS


def test_every_grouped_member_is_counted_under_its_vendor_in_both_registries():
    # a CVE naming only the member's CPE strings counts for the vendor, and so does a
    # certificate whose registry name is the member's (where the member appears in that registry)
    for row in entities.entity_rows():
        strings = row.cve_vendor_strings.split()
        record = nvd.CveRecord("CVE-TEST", "2019-01-01", False, "HIGH", frozenset(strings))
        got = nvd.vendors_of(record) if strings else []
        assert got == ([row.entity] if row.grouped == "yes" and strings else []), row.member


def test_a_firm_maps_to_the_same_vendor_in_cve_and_certificate_counts():
    # (CPE vendor string, registry name as a registry spells it) of the same firm
    same_firm = [("alcatel-lucent", "Alcatel-Lucent"), ("alcatel", "Alcatel"),
                 ("lucent", "Lucent Technologies, Inc."), ("hisilicon", "HiSilicon Technologies Co., Ltd."),
                 ("nokia", "Nokia Corporation"), ("zte", "ZTE Corporation"), ("juniper", "Juniper Networks, Inc.")]
    for cpe, name in same_firm:
        record = nvd.CveRecord("CVE-TEST", "2019-01-01", False, "HIGH", frozenset({cpe}))
        assert nvd.vendors_of(record) == [certifications.match_vendor(name)], (cpe, name)


def test_ungrouped_firms_count_for_no_vendor_in_either_registry():
    record = nvd.CveRecord("CVE-TEST", "2019-01-01", False, "HIGH",
                           frozenset({"sony_ericsson", "ericssonlg", "alcatelmobile"}))
    assert nvd.vendors_of(record) == []
    assert certifications.match_vendor("Alcatel-Lucent Enterprise USA, Inc.") is None


def test_nokia_cve_counts_include_the_alcatel_lucent_lineage():
    counts = nvd.load_cve_counts()
    assert "Alcatel-Lucent" not in set(counts["vendor"])
    assert set(entities.grouped_members()["Nokia"]) >= {"Alcatel-Lucent", "Lucent Technologies"}
