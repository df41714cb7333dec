/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the generic-netlink and nl80211 parsers. The input is
 * walked as the recv() buffer of a dump (rtnetlink walker, the same one the
 * wireless code uses) and every message's payload is handed to each parser
 * in turn: the family lookup, interface, station and survey. Results must
 * keep their contracts (names NUL-terminated, an SSID of at most 32
 * bytes). Seeds: tests/fuzz/gen_seeds.py. */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"
#include "nl80211_parse.h"
#include "rtnl_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nm_rtnl_walker w;
    nm_rtnl_msg msg;
    netmetrics_error err;
    nm_nl80211_iface ifc;
    nm_nl80211_station sta;
    nm_nl80211_survey sur;
    uint16_t family;
    int guard = 0;

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, data, size);
    while (nm_rtnl_walk_next(&w, &msg, &err) == NM_RTNL_STEP_MSG) {
        if (++guard > 100000)
            nm_fuzz_fail("walker does not advance");
        nm_genl_parse_family(msg.payload, msg.payload_len, &family, &err);
        if (nm_nl80211_parse_interface(msg.payload, msg.payload_len, &ifc, &err) ==
            NETMETRICS_OK) {
            if (memchr(ifc.name, '\0', sizeof ifc.name) == NULL)
                nm_fuzz_fail("nl80211 interface name not NUL-terminated");
            if (ifc.ssid_len > sizeof ifc.ssid)
                nm_fuzz_fail("SSID longer than 32 bytes");
        }
        nm_nl80211_parse_station(msg.payload, msg.payload_len, &sta, &err);
        nm_nl80211_parse_survey(msg.payload, msg.payload_len, &sur, &err);
    }
    return 0;
}
