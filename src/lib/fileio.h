/* SPDX-License-Identifier: MIT */
/* Reading small kernel files (/proc, /sys) relative to an overridable root,
 * so tests can point the collector at a fixture tree. */
#ifndef NM_FILEIO_H
#define NM_FILEIO_H

#include "strbuf.h"

/* Joins root and a relative path ("net/dev") into out (size bytes).
 * Returns 0, or -1 when it does not fit. */
int nm_path_join(char *out, size_t size, const char *root, const char *rel);

/* Reads the whole file root/rel into b (replacing its contents, NUL
 * terminated). Files in /proc report size 0, so this reads until EOF.
 * Returns NETMETRICS_OK or an error derived from errno (ENOENT ->
 * NOT_AVAILABLE, EACCES -> PERMISSION, ...). Refuses files over max_size
 * bytes with NETMETRICS_ERR_PARSE. */
netmetrics_status nm_read_file(const char *root, const char *rel, size_t max_size,
                               nm_strbuf *b, netmetrics_error *err);

#endif
