/* SPDX-License-Identifier: MIT */
/* Table-driven test of the classification rules (src/lib/classify.c): one
 * row per branch of nm_classify, plus the rows that pin the order of the
 * rules (a Wi-Fi card is also Ethernet with a device; the wwan framework's
 * links have a link kind). Portable: runs on every platform. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "classify.h"
#include "netmetrics.h"
#include "snapshot.h"

typedef struct row {
    const char *why;
    uint32_t flags;
    int32_t link_type;
    const char *kind;
    int has_device;
    int wireless;
    const char *devtype;
    const char *driver;
    netmetrics_interface_type want;
} row;

#define LOOP NETMETRICS_FLAG_LOOPBACK
#define E NM_ARPHRD_ETHER

static const row rows[] = {
    {"loopback flag", LOOP, E, "", -1, 0, "", "", NETMETRICS_IFTYPE_LOOPBACK},
    {"ARPHRD_LOOPBACK without the flag", 0, NM_ARPHRD_LOOPBACK, "", 0, 0, "", "",
     NETMETRICS_IFTYPE_LOOPBACK},
    {"loopback wins over wireless", LOOP, E, "", 1, 1, "wlan", "", NETMETRICS_IFTYPE_LOOPBACK},
    {"phy80211 marker", 0, E, "", 1, 1, "", "iwlwifi", NETMETRICS_IFTYPE_WIFI},
    {"DEVTYPE wlan alone", 0, E, "", 1, 0, "wlan", "", NETMETRICS_IFTYPE_WIFI},
    {"DEVTYPE wwan", 0, NM_ARPHRD_NONE, "", 1, 0, "wwan", "", NETMETRICS_IFTYPE_CELLULAR},
    {"wwan link kind beats the virtual rule", 0, NM_ARPHRD_NONE, "wwan", 0, 0, "", "",
     NETMETRICS_IFTYPE_CELLULAR},
    {"raw-IP link of qmi_wwan", 0, NM_ARPHRD_NONE, "", 1, 0, "", "qmi_wwan",
     NETMETRICS_IFTYPE_CELLULAR},
    {"ARPHRD_RAWIP of mhi_net", 0, NM_ARPHRD_RAWIP, "", 1, 0, "", "mhi_net",
     NETMETRICS_IFTYPE_CELLULAR},
    {"raw IP, cellular driver, no device", 0, NM_ARPHRD_NONE, "", 0, 0, "", "qmi_wwan",
     NETMETRICS_IFTYPE_VIRTUAL},
    {"raw IP, other driver", 0, NM_ARPHRD_NONE, "", 1, 0, "", "foo", NETMETRICS_IFTYPE_OTHER},
    {"Ethernet-framed cellular driver is Ethernet", 0, E, "", 1, 0, "", "qmi_wwan",
     NETMETRICS_IFTYPE_ETHERNET},
    {"veth", 0, E, "veth", 0, 0, "", "", NETMETRICS_IFTYPE_VIRTUAL},
    {"bridge with DEVTYPE bridge", 0, E, "bridge", -1, 0, "bridge", "",
     NETMETRICS_IFTYPE_VIRTUAL},
    {"tun (no link type of Ethernet)", 0, 65534, "tun", 0, 0, "", "", NETMETRICS_IFTYPE_VIRTUAL},
    {"kind with a parent device (macvlan)", 0, E, "macvlan", 1, 0, "", "",
     NETMETRICS_IFTYPE_VIRTUAL},
    {"no kind, no device (procfs veth)", 0, E, "", 0, 0, "", "", NETMETRICS_IFTYPE_VIRTUAL},
    {"Ethernet with a device", 0, E, "", 1, 0, "", "virtio_net", NETMETRICS_IFTYPE_ETHERNET},
    {"Ethernet, device unknown", 0, E, NULL, -1, 0, NULL, NULL, NETMETRICS_IFTYPE_ETHERNET},
    {"PPP with a device", 0, 512, "", 1, 0, "", "", NETMETRICS_IFTYPE_OTHER},
    {"unknown link type", 0, -1, "", -1, 0, "", "", NETMETRICS_IFTYPE_OTHER},
};

START_TEST(test_classify_table)
{
    const row *r = &rows[_i];
    nm_classify_input in;

    in.flags = r->flags;
    in.link_type = r->link_type;
    in.kind = r->kind;
    in.has_device = r->has_device;
    in.wireless = r->wireless;
    in.devtype = r->devtype;
    in.driver = r->driver;
    ck_assert_msg(nm_classify(&in) == r->want, "%s: got %s, want %s", r->why,
                  netmetrics_interface_type_name(nm_classify(&in)),
                  netmetrics_interface_type_name(r->want));
}
END_TEST

START_TEST(test_type_names)
{
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_ETHERNET), "ethernet");
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_WIFI), "wifi");
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_LOOPBACK), "loopback");
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_VIRTUAL), "virtual");
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_CELLULAR), "cellular");
    ck_assert_str_eq(netmetrics_interface_type_name(NETMETRICS_IFTYPE_OTHER), "other");
    ck_assert_str_eq(netmetrics_interface_type_name((netmetrics_interface_type)99), "other");
    ck_assert_str_eq(netmetrics_duplex_string(NETMETRICS_DUPLEX_FULL), "full");
    ck_assert_str_eq(netmetrics_duplex_string(NETMETRICS_DUPLEX_HALF), "half");
    ck_assert_str_eq(netmetrics_duplex_string(NETMETRICS_DUPLEX_UNKNOWN), "unknown");
}
END_TEST

/* The snapshot classifies on finish, so every reader sees one value. */
START_TEST(test_snapshot_finish_classifies)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    struct netmetrics_interface *i;

    ck_assert_ptr_nonnull(s);
    i = nm_snapshot_add_interface(s);
    i->ifindex = 2;
    i->link_type = NM_ARPHRD_ETHER;
    i->wireless_marker = 1;
    i = nm_snapshot_add_interface(s);
    i->ifindex = 1;
    i->link_type = NM_ARPHRD_ETHER; /* has_device -1 from add_interface */
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_interface(s, 0)),
                     NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_interface(s, 1)),
                     NETMETRICS_IFTYPE_WIFI);
    netmetrics_snapshot_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classify");
    TCase *tc = tcase_create("rules");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_classify_table, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, test_type_names);
    tcase_add_test(tc, test_snapshot_finish_classifies);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
