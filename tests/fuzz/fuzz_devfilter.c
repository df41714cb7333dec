/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the device filter. The input is split on NUL bytes:
 * the first piece is a pattern, the second a --collector.type-exclude list,
 * the rest interface names (cut to 15 bytes, as the kernel's). A pattern the
 * checks accept must compile and match every name quickly and within the
 * memory limit (libFuzzer's -timeout and -rss_limit_mb catch the regcomp
 * blow-ups the checks exist to refuse); a refused one must come with a
 * one-line reason. Whatever the input, nothing may crash or leak. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "devfilter.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PIECES 34

/* The reason of a refusal: terminated, one line. */
static void check_why(const char *why, size_t size)
{
    if (memchr(why, '\0', size) == NULL)
        nm_fuzz_fail("reason not NUL-terminated");
    if (strchr(why, '\n'))
        nm_fuzz_fail("reason spans lines");
    if (why[0] == '\0')
        nm_fuzz_fail("refused without a reason");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *piece[MAX_PIECES];
    char why[256];
    size_t start = 0, n = 0, i;
    unsigned types = 0;
    nm_devfilter *f = NULL;
    nm_devfilter_spec spec;
    netmetrics_error err;

    /* exact-size heap copies, so AddressSanitizer sees a read past the end */
    while (start <= size && n < MAX_PIECES) {
        const uint8_t *nul = memchr(data + start, '\0', size - start);
        size_t len = nul ? (size_t)(nul - (data + start)) : size - start;

        piece[n] = malloc(len + 1);
        if (!piece[n])
            break;
        memcpy(piece[n], data + start, len);
        piece[n][len] = '\0';
        n++;
        start += len + 1;
    }
    if (n == 0)
        return 0;

    memset(why, 'X', sizeof why);
    if (nm_devfilter_check_regex(piece[0], why, sizeof why) < 0)
        check_why(why, sizeof why);
    memset(why, 'X', sizeof why);
    if (n > 1 && nm_devfilter_parse_types(piece[1], &types, why, sizeof why) < 0) {
        check_why(why, sizeof why);
        types = 0;
    }

    /* as an include filter, then as an exclude filter: each name is kept
     * by exactly one of the two unless the types drop it */
    memset(&spec, 0, sizeof spec);
    spec.include = piece[0];
    spec.type_exclude = types;
    if (nm_devfilter_new(&spec, &f, &err) == NETMETRICS_OK) {
        nm_devfilter *g = NULL;

        spec.include = NULL;
        spec.exclude = piece[0];
        if (nm_devfilter_new(&spec, &g, &err) != NETMETRICS_OK)
            nm_fuzz_fail("a pattern good as include is refused as exclude");
        for (i = 2; i < n; i++) {
            int t = (int)(i % (NETMETRICS_IFTYPE_OTHER + 1));
            int a, b;

            if (strlen(piece[i]) > 15)
                piece[i][15] = '\0';
            a = nm_devfilter_keeps(f, piece[i], (netmetrics_interface_type)t);
            b = nm_devfilter_keeps(g, piece[i], (netmetrics_interface_type)t);
            if ((a != 0 && a != 1) || (b != 0 && b != 1))
                nm_fuzz_fail("keeps is not 0 or 1");
            if (piece[0][0] && !(types & (1u << t)) && a == b)
                nm_fuzz_fail("include and exclude agree on a name");
            if ((types & (1u << t)) && (a || b))
                nm_fuzz_fail("an excluded type is kept");
        }
        nm_devfilter_free(g);
    }
    nm_devfilter_free(f);
    for (i = 0; i < n; i++)
        free(piece[i]);
    return 0;
}
