# NM_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
# Compiles an empty program with FLAG (and -Werror, so that a compiler which
# merely warns about an unknown option counts as not supporting it).
AC_DEFUN([NM_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([nm_cache], [nm_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [nm_cache], [
    nm_save_CFLAGS="$CFLAGS"
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([nm_cache], [yes])], [AS_VAR_SET([nm_cache], [no])])
    CFLAGS="$nm_save_CFLAGS"])
  AS_VAR_IF([nm_cache], [yes], [$2], [$3])
  AS_VAR_POPDEF([nm_cache])
])
