/* SPDX-License-Identifier: MIT */
/* The exposition-format writer: the only code that knows how a metric
 * family, a sample, a label value or a float is spelled on the wire. The
 * renderer describes families and samples; this writer turns them into
 * Prometheus text 0.0.4 or OpenMetrics 1.0.0 in the caller's nm_strbuf. It
 * never allocates per series and never calls printf for integer samples:
 * a scrape of a thousand interfaces writes tens of thousands of lines. */
#ifndef NM_EXPFMT_H
#define NM_EXPFMT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

typedef enum nm_format {
    NM_FORMAT_TEXT = 0,      /* Prometheus text 0.0.4 */
    NM_FORMAT_OPENMETRICS    /* OpenMetrics 1.0.0 */
} nm_format;

typedef enum nm_metric_type {
    /* Name must end in "_total"; OpenMetrics names the family without it. */
    NM_METRIC_COUNTER = 0,
    NM_METRIC_GAUGE,
    /* Name must end in "_info" and every sample be 1. Text 0.0.4 has no
     * info type, so it is written as a gauge there; OpenMetrics writes
     * "info" and names the family without "_info". */
    NM_METRIC_INFO,
    /* One sample per state, labelled with the family's own name, value 1
     * for the state that holds and 0 for the others. OpenMetrics writes
     * "stateset"; text 0.0.4 a gauge with the same samples. */
    NM_METRIC_STATESET
} nm_metric_type;

/* One label of a sample. The name is trusted (a constant of the renderer);
 * the value is any bytes, escaped and UTF-8-sanitised by the writer. */
typedef struct nm_label {
    const char *name;
    const char *value;
    size_t value_len;
} nm_label;

/* Labels already spelled for the wire: `name="escaped value"` pieces joined
 * by commas, without braces (nm_expfmt_put_label_pre writes one). A series
 * label shared by many samples, such as an interface's device, is escaped
 * once per scrape this way instead of once per sample. */
typedef struct nm_label_pre {
    const char *text;
    size_t len;
} nm_label_pre;

/* Writer state. Lives on the caller's stack; holds no memory of its own. */
typedef struct nm_expfmt {
    nm_strbuf *out;
    nm_format fmt;
    const char *name;     /* current family, as given to nm_expfmt_family */
    size_t name_len;
    const char *help;
    nm_metric_type type;
    int header_pending;   /* HELP/TYPE not yet written for this family */
} nm_expfmt;

void nm_expfmt_init(nm_expfmt *w, nm_strbuf *out, nm_format fmt);

/* Starts a family. Its HELP and TYPE lines are written with the first
 * sample, so a family that gets no sample leaves no trace in the output.
 * name and help must stay valid until the next family starts. */
void nm_expfmt_family(nm_expfmt *w, const char *name, nm_metric_type type, const char *help);

/* A sample of the current family. Return 0, or -1 when out of memory (the
 * buffer's `failed` flag is then set and later writes are no-ops). */
int nm_expfmt_sample_u64(nm_expfmt *w, const nm_label *labels, size_t nlabels, uint64_t value);
int nm_expfmt_sample_double(nm_expfmt *w, const nm_label *labels, size_t nlabels, double value);

/* The same, with pre (may be NULL or empty) written verbatim as the first
 * labels, before the escaped ones. */
int nm_expfmt_sample_u64_pre(nm_expfmt *w, const nm_label_pre *pre, const nm_label *labels,
                             size_t nlabels, uint64_t value);
int nm_expfmt_sample_double_pre(nm_expfmt *w, const nm_label_pre *pre, const nm_label *labels,
                                size_t nlabels, double value);

/* Appends name="value" to b, the value escaped as for a sample, for use as
 * (part of) an nm_label_pre. Returns 0, or -1 when out of memory. */
int nm_expfmt_put_label_pre(nm_strbuf *b, const char *name, const char *value, size_t len);

/* Ends the exposition ("# EOF" in OpenMetrics, nothing in text).
 * Returns 0, or -1 when the buffer failed at any point. */
int nm_expfmt_finish(nm_expfmt *w);

/* Building blocks, exposed for tests and for callers that write one value.
 * Escaped label value: '\\' '"' and newline backslash-escaped, each byte
 * that is not part of well-formed UTF-8 written as the text \xNN. */
int nm_expfmt_put_label_value(nm_strbuf *b, const char *s, size_t len);
/* A float as Prometheus parses it: integers without a fraction, otherwise
 * the shortest of %.15g/%.16g/%.17g that reads back to the same double;
 * "+Inf", "-Inf", "NaN". */
int nm_expfmt_put_double(nm_strbuf *b, double v);

/* Decimal text of v into buf, which holds NM_EXPFMT_INT_SIZE bytes; NUL-
 * terminated, returns the length. For label values such as an ifindex. */
#define NM_EXPFMT_INT_SIZE 21
size_t nm_expfmt_int_text(char *buf, int64_t v);

/* Bytes nm_expfmt_put_label_value may write for an input of len bytes. */
#define NM_EXPFMT_LABEL_VALUE_MAX(len) ((len) * 5u)

#endif
