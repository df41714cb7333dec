/* SPDX-License-Identifier: MIT */
/* Address text without inet_ntop: the renderer spells every address of
 * every interface on each scrape, and glibc's inet_ntop formats IPv6 with
 * one sprintf per group (a tenth of a scrape's instructions at a thousand
 * interfaces). The text is byte for byte what glibc's inet_ntop writes, so
 * series keep their identity; tests/unit/check_addrtext.c holds it to that. */
#ifndef NM_ADDRTEXT_H
#define NM_ADDRTEXT_H

#include <stddef.h>

/* Room for the longest text and its NUL (INET6_ADDRSTRLEN). */
#define NM_ADDR_TEXT_SIZE 46

/* Writes the dotted quad of the 4 bytes at b into buf (NM_ADDR_TEXT_SIZE
 * bytes), NUL-terminated; returns the length. */
size_t nm_addr_text4(const unsigned char *b, char *buf);
/* The same for the 16 bytes of an IPv6 address, in RFC 5952 form as glibc
 * spells it: lowercase, the first longest run of two or more zero groups
 * as "::", and the last 4 bytes as a dotted quad for ::a.b.c.d and
 * ::ffff:a.b.c.d. */
size_t nm_addr_text6(const unsigned char *b, char *buf);

#endif
