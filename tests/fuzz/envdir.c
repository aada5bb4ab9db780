/* ISC license. Fuzz target: envdir's parsing of one variable file,
   readvar() in src/envdir/envdir.c (included with its main renamed; its
   openat, fd_read and fd_close are redirected to the input here).
   Input: NAME NUL CONTENT.  Without a NUL the file is missing (ENOENT).
   The content is returned in reads of 1..17 bytes (NAME's length + 1),
   or whole if NAME is longer than 16 bytes.
   Oracle: "NAME=first line without trailing blanks, NULs as newlines\0",
   "NAME\0" for an empty or missing file, exit 100 if NAME has a '='. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "fuzz.h"

static uint8_t const *fdata ;
static size_t flen, fpos, fchunk ;
static int fopen_ok, fopened ;

static int fuzz_openat (int dfd, char const *name, int flags)
{
  (void)dfd ; (void)name ; (void)flags ;
  if (!fopen_ok) return (errno = ENOENT, -1) ;
  FUZZ_ASSERT(!fopened) ;
  fopened = 1 ;
  return 1000 ;
}

static ssize_t fuzz_read (int fd, char *buf, size_t n)
{
  size_t k = flen - fpos ;
  FUZZ_ASSERT(fd == 1000 && fopened) ;
  if (k > n) k = n ;
  if (fchunk && k > fchunk) k = fchunk ;
  memcpy(buf, fdata + fpos, k) ;
  fpos += k ;
  return (ssize_t)k ;
}

static void fuzz_close (int fd)
{
  FUZZ_ASSERT(fd == 1000 && fopened) ;
  fopened = 0 ;
}

#define openat(d, n, f) fuzz_openat(d, n, f)
#define fd_read(fd, b, n) fuzz_read(fd, b, n)
#define fd_close(fd) fuzz_close(fd)
#define main envdir_main
#include "../../src/envdir/envdir.c"
#undef main

FUZZ_DIE_HOOKS

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  static char const prefix[] = "PREV=x" ;  /* readvar appends: start non-empty */
  uint8_t const *nul = memchr(data, 0, size) ;
  size_t nlen = nul ? (size_t)(nul - data) : size ;
  char *name = malloc(nlen + 1) ;
  stralloc sa = STRALLOC_ZERO ;
  if (!name) abort() ;
  memcpy(name, data, nlen) ; name[nlen] = 0 ;
  fopen_ok = !!nul ;
  fopened = 0 ;
  fdata = nul ? nul + 1 : data + size ;
  flen = nul ? size - nlen - 1 : 0 ;
  fpos = 0 ;
  fchunk = nlen <= 16 ? nlen + 1 : 0 ;
  if (!stralloc_catb(&sa, prefix, sizeof prefix)) abort() ;
  fuzz_died = 0 ;
  fuzz_armed = 1 ;
  if (setjmp(fuzz_jb))
  {
    fuzz_armed = 0 ;
    FUZZ_ASSERT(fuzz_died == 100 && strchr(name, '=')) ;
    stralloc_free(&sa) ; free(name) ;
    return 0 ;
  }
  readvar(&sa, -1, "dir", name) ;
  fuzz_armed = 0 ;
  FUZZ_ASSERT(!strchr(name, '=')) ;
  FUZZ_ASSERT(!fopened) ;
  {
    /* expected */
    size_t vlen = 0 ;
    char const *v = (char const *)fdata ;
    size_t off = sizeof prefix ;
    FUZZ_ASSERT(!memcmp(sa.s, prefix, sizeof prefix)) ;
    FUZZ_ASSERT(sa.len >= off + nlen + 1 && !memcmp(sa.s + off, name, nlen)) ;
    off += nlen ;
    if (!flen)
    {
      FUZZ_ASSERT(sa.len == off + 1 && !sa.s[off]) ;
    }
    else
    {
      char const *nl = memchr(v, '\n', flen) ;
      vlen = nl ? (size_t)(nl - v) : flen ;
      while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) vlen-- ;
      FUZZ_ASSERT(sa.len == off + 1 + vlen + 1) ;
      FUZZ_ASSERT(sa.s[off] == '=' && !sa.s[sa.len - 1]) ;
      for (size_t i = 0 ; i < vlen ; i++)
        FUZZ_ASSERT(sa.s[off + 1 + i] == (v[i] ? v[i] : '\n')) ;
    }
  }
  stralloc_free(&sa) ;
  free(name) ;
  return 0 ;
}
