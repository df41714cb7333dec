/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the exporter's command-line parser. The input is split
 * on NUL bytes into argv[1..] (argv[0] is the program name), each argument
 * a separate exact-size heap string so AddressSanitizer catches a read past
 * its end. Whatever the arguments, the parser must return one of its four
 * results and, on error, a NUL-terminated one-line message that fits. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *argv[MAX_ARGS + 2];
    char err[NM_OPTIONS_ERROR_MAX];
    nm_options opts;
    nm_options_result r;
    size_t start = 0, i;
    int argc = 1, k;

    argv[0] = strdup(NM_PROGRAM_NAME);
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

    memset(err, 'X', sizeof err);
    nm_options_init(&opts);
    r = nm_options_parse(&opts, argc, argv, err, sizeof err);
    switch (r) {
    case NM_OPTIONS_RUN:
        if (opts.listen_port > 65535)
            nm_fuzz_fail("listen port out of range");
        if (strnlen(opts.listen_host, sizeof opts.listen_host) == sizeof opts.listen_host)
            nm_fuzz_fail("listen host not NUL-terminated");
        break;
    case NM_OPTIONS_HELP:
    case NM_OPTIONS_VERSION:
        break;
    case NM_OPTIONS_ERROR:
        if (memchr(err, '\0', sizeof err) == NULL)
            nm_fuzz_fail("error message not NUL-terminated");
        for (i = 0; err[i] != '\0'; i++)
            if (err[i] == '\n')
                nm_fuzz_fail("error message spans lines");
        break;
    default:
        nm_fuzz_fail("unknown result");
    }
    for (k = 0; k < argc; k++)
        free(argv[k]);
    return 0;
}
