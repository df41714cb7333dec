/* SPDX-License-Identifier: MIT */
/* Whole-file reads under an overridable root. Kept thin: parsing happens
 * on the bytes elsewhere. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int nm_path_join(char *out, size_t size, const char *root, const char *rel)
{
    size_t rl = strlen(root);
    int n;

    while (rl > 0 && root[rl - 1] == '/')
        rl--; /* "/" becomes "", so "/" + "sys" is "/sys" */
    while (*rel == '/')
        rel++;
    n = snprintf(out, size, "%.*s/%s", (int)rl, root, rel);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

netmetrics_status nm_read_file(const char *root, const char *rel, size_t max_size,
                               nm_strbuf *b, netmetrics_error *err)
{
    char path[4096];
    int fd, saved;

    nm_strbuf_reset(b);
    if (nm_path_join(path, sizeof path, root, rel) < 0)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "path too long: %s/%s", root, rel);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nm_error_errno(err, errno, "cannot open %s", path);
    for (;;) {
        ssize_t n;

        if (nm_strbuf_reserve(b, 4096) < 0) {
            close(fd);
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory reading %s",
                                path);
        }
        n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            saved = errno;
            close(fd);
            return nm_error_errno(err, saved, "cannot read %s", path);
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        b->data[b->len] = '\0';
        if (b->len > max_size) {
            close(fd);
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s is larger than %zu bytes",
                                path, max_size);
        }
    }
    close(fd);
    if (!b->data && nm_strbuf_reserve(b, 0) < 0)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    b->data[b->len] = '\0';
    return NETMETRICS_OK;
}
