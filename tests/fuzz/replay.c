/* ISC license. Replays files through a fuzz target without libFuzzer:
   replay FILE... ; a directory argument replays every file in it.
   Exit 0 if every input ran to the end (a crash aborts the process). */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

int LLVMFuzzerInitialize (int *, char ***) __attribute__((weak)) ;

static unsigned long count ;

static int one (char const *path)
{
  FILE *f = fopen(path, "rb") ;
  uint8_t *buf = 0 ;
  size_t len = 0, cap = 0 ;
  if (!f) { fprintf(stderr, "replay: unable to open %s: %s\n", path, strerror(errno)) ; return 0 ; }
  for (;;)
  {
    size_t r ;
    if (len == cap)
    {
      uint8_t *p = realloc(buf, cap ? cap * 2 : 4096) ;
      if (!p) { fprintf(stderr, "replay: out of memory\n") ; exit(111) ; }
      buf = p ; cap = cap ? cap * 2 : 4096 ;
    }
    r = fread(buf + len, 1, cap - len, f) ;
    if (!r) break ;
    len += r ;
  }
  if (ferror(f)) { fprintf(stderr, "replay: unable to read %s\n", path) ; fclose(f) ; free(buf) ; return 0 ; }
  fclose(f) ;
  {
    /* an exact-size copy, so that ASan sees reads past the end */
    uint8_t *exact = malloc(len ? len : 1) ;
    if (!exact) exit(111) ;
    if (len) memcpy(exact, buf, len) ;
    free(buf) ;
    LLVMFuzzerTestOneInput(exact, len) ;
    free(exact) ;
  }
  count++ ;
  return 1 ;
}

static int walk (char const *path)
{
  struct stat st ;
  if (stat(path, &st) < 0) { fprintf(stderr, "replay: unable to stat %s: %s\n", path, strerror(errno)) ; return 0 ; }
  if (S_ISDIR(st.st_mode))
  {
    struct dirent **list ;
    int ok = 1 ;
    int n = scandir(path, &list, 0, alphasort) ;
    if (n < 0) { fprintf(stderr, "replay: unable to list %s\n", path) ; return 0 ; }
    for (int i = 0 ; i < n ; i++)
    {
      if (list[i]->d_name[0] != '.')
      {
        size_t l = strlen(path) + strlen(list[i]->d_name) + 2 ;
        char *p = malloc(l) ;
        if (!p) exit(111) ;
        snprintf(p, l, "%s/%s", path, list[i]->d_name) ;
        if (!walk(p)) ok = 0 ;
        free(p) ;
      }
      free(list[i]) ;
    }
    free(list) ;
    return ok ;
  }
  return one(path) ;
}

int main (int argc, char **argv)
{
  int ok = 1 ;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv) ;
  for (int i = 1 ; i < argc ; i++) if (!walk(argv[i])) ok = 0 ;
  printf("replayed %lu inputs\n", count) ;
  return ok ? 0 : 1 ;
}
