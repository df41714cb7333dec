/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the `netmetrics` CLI's option parser (getopt_long
 * underneath). The input is split on NUL bytes into argv[1..]; each
 * argument is an exact-size heap string. Whatever the arguments, the
 * parser must return one of its results, a one-line NUL-terminated error
 * on NM_CLI_ERROR, and free what it allocated. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *argv[MAX_ARGS + 2], *orig[MAX_ARGS + 2];
    char err[NM_CLI_ERROR_MAX];
    nm_cli_options opts;
    nm_cli_result r;
    size_t start = 0, i;
    int argc = 1, k;

    argv[0] = strdup(NM_CLI_PROGRAM);
    if (!argv[0])
        return 0;
    while (start <= size && argc <= MAX_ARGS) {
        const uint8_t *nul = memchr(data + start, '\0', size - start);
        size_t len = nul ? (size_t)(nul - (data + start)) : size - start;

        argv[argc] = malloc(len + 1);
        if (!argv[argc])
            break;
        memcpy(argv[argc], data + start, len);
        argv[argc][len] = '\0';
        argc++;
        start += len + 1;
    }
    argv[argc] = NULL;
    /* getopt_long may permute argv: keep the pointers to free. */
    memcpy(orig, argv, sizeof argv[0] * (size_t)(argc + 1));

    memset(err, 'X', sizeof err);
    memset(&opts, 0, sizeof opts);
    r = nm_cli_options_parse(&opts, argc, argv, err, sizeof err);
    if (r == NM_CLI_ERROR) {
        if (memchr(err, '\0', sizeof err) == NULL)
            nm_fuzz_fail("error message not NUL-terminated");
        for (i = 0; err[i] != '\0'; i++)
            if (err[i] == '\n')
                nm_fuzz_fail("error message spans lines");
    } else if (r != NM_CLI_RUN && r != NM_CLI_HELP && r != NM_CLI_VERSION &&
               r != NM_CLI_NO_MEMORY) {
        nm_fuzz_fail("unknown result");
    }
    nm_cli_options_free(&opts);
    for (k = 0; k < argc; k++)
        free(orig[k]);
    return 0;
}
