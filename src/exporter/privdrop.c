/* SPDX-License-Identifier: MIT */
/* --runas: the exporter binds its port (maybe a privileged one) and opens
 * its netlink sockets as root, then becomes an ordinary user for the rest
 * of its life. Order matters: supplementary groups and the gid go first,
 * while we may still change them, the uid last. glibc applies each of
 * these calls to every thread of the process (MHD's are already running).
 * Every step is checked, and so is the result, since a process that only
 * believes it dropped root is the dangerous case. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "privdrop.h"

static int fail(char *why, size_t whysize, const char *what, const char *user, int err)
{
    if (err)
        snprintf(why, whysize, "%s %s: %s", what, user, strerror(err));
    else
        snprintf(why, whysize, "%s %s", what, user);
    return -1;
}

int nm_drop_privileges(const char *user, char *why, size_t whysize)
{
    struct passwd pw, *found = NULL;
    long max = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t size = max > 0 ? (size_t)max : 16384;
    char *buf = malloc(size);
    uid_t uid;
    gid_t gid;
    int rc;

    if (!buf)
        return fail(why, whysize, "out of memory looking up user", user, 0);
    rc = getpwnam_r(user, &pw, buf, size, &found);
    if (rc != 0 || !found) {
        free(buf);
        return fail(why, whysize, "no such user", user, rc);
    }
    uid = pw.pw_uid;
    gid = pw.pw_gid;
    free(buf);

    if (uid == 0)
        return fail(why, whysize, "refusing to run as a uid 0 user:", user, 0);
    if (geteuid() != 0) {
        /* Not root: fine if we already are that user, else impossible. */
        if (getuid() == uid && geteuid() == uid)
            return 0;
        return fail(why, whysize, "not running as root, cannot switch to user", user, 0);
    }
    if (setgroups(1, &gid) != 0)
        return fail(why, whysize, "setgroups for user", user, errno);
    if (setgid(gid) != 0)
        return fail(why, whysize, "setgid for user", user, errno);
    if (setuid(uid) != 0)
        return fail(why, whysize, "setuid for user", user, errno);
    if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid)
        return fail(why, whysize, "ids did not change for user", user, 0);
    if (setuid(0) == 0)
        return fail(why, whysize, "root could be regained after switching to user", user, 0);
    return 0;
}
