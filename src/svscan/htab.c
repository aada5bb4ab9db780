/* ISC license. A small open-addressing hash: svscan looks services up by
   directory identity on every scanned entry and by pid on every reaped
   child, so both must be O(1) with thousands of services. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "svscan.h"

uint64_t htab_mix (uint64_t x)
{
  x ^= x >> 30 ; x *= 0xbf58476d1ce4e5b9ULL ;
  x ^= x >> 27 ; x *= 0x94d049bb133111ebULL ;
  x ^= x >> 31 ;
  return x ;
}

/* FNV-1a over a NUL-terminated name, then mixed */
uint64_t htab_hashstr (char const *s)
{
  uint64_t h = 0xcbf29ce484222325ULL ;
  for (; *s ; s++) { h ^= (unsigned char)*s ; h *= 0x100000001b3ULL ; }
  return htab_mix(h) ;
}

/* Empties t; a table that was mostly empty gives its memory back. */
void htab_clear (htab *t)
{
  if ((uint64_t)t->n * 8 < t->cap && t->cap > 64)
  {
    free(t->s) ;
    t->s = 0 ; t->cap = 0 ;
  }
  else if (t->cap) memset(t->s, 0, (size_t)t->cap * sizeof(htab_slot)) ;
  t->n = t->used = 0 ;
}

uint32_t htab_find (htab const *t, uint64_t h, htab_eq_func *eq, void const *key)
{
  uint32_t mask, i ;
  if (!t->cap) return HTAB_NONE ;
  mask = t->cap - 1 ;
  for (i = (uint32_t)h & mask ; t->s[i].v ; i = (i + 1) & mask)
    if (t->s[i].v > 1 && t->s[i].h == h && (!eq || (*eq)(t->s[i].v - 2, key)))
      return t->s[i].v - 2 ;
  return HTAB_NONE ;
}

static void insert (htab_slot *s, uint32_t cap, uint64_t h, uint32_t v)
{
  uint32_t mask = cap - 1, i = (uint32_t)h & mask ;
  while (s[i].v > 1) i = (i + 1) & mask ;
  s[i].h = h ; s[i].v = v ;
}

static int grow (htab *t)
{
  uint32_t cap = t->cap ? t->cap : 64 ;
  uint32_t i ;
  htab_slot *s ;
  while ((uint64_t)(t->n + 1) * 2 > cap) cap <<= 1 ;
  s = calloc(cap, sizeof(htab_slot)) ;
  if (!s) return 0 ;
  for (i = 0 ; i < t->cap ; i++)
    if (t->s[i].v > 1) insert(s, cap, t->s[i].h, t->s[i].v) ;
  free(t->s) ;
  t->s = s ; t->cap = cap ; t->used = t->n ;
  return 1 ;
}

int htab_put (htab *t, uint64_t h, uint32_t v)
{
  uint32_t mask, i ;
  if ((uint64_t)(t->used + 1) * 4 > (uint64_t)t->cap * 3 && !grow(t)) return 0 ;
  mask = t->cap - 1 ;
  i = (uint32_t)h & mask ;
  while (t->s[i].v > 1) i = (i + 1) & mask ;
  if (!t->s[i].v) t->used++ ;
  t->s[i].h = h ; t->s[i].v = v + 2 ;
  t->n++ ;
  return 1 ;
}

void htab_del (htab *t, uint64_t h, uint32_t v)
{
  uint32_t mask, i ;
  if (!t->cap) return ;
  mask = t->cap - 1 ;
  for (i = (uint32_t)h & mask ; t->s[i].v ; i = (i + 1) & mask)
    if (t->s[i].v == v + 2 && t->s[i].h == h)
    {
      t->s[i].v = 1 ;
      t->n-- ;
      return ;
    }
}
