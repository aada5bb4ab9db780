/* ISC license. svscan's hash table (src/svscan/htab.c), against a plain
   array as the reference: lookups by identity and by pid, collisions,
   deletions and the reuse of their slots, growth, and a table that never
   fills up with tombstones (a full table would make a lookup loop forever). */

#include <stdlib.h>
#include "tap.h"
#include "../../src/svscan/htab.c"

#define N 20000u

/* values are indices into keys[]; the key decides equality */
static uint64_t keys[N] ;

static int eq (uint32_t v, void const *key)
{
  return keys[v] == *(uint64_t const *)key ;
}

static uint64_t rnd_state = 88172645463325252ULL ;
static uint64_t rnd (void)
{
  rnd_state ^= rnd_state << 13 ; rnd_state ^= rnd_state >> 7 ; rnd_state ^= rnd_state << 17 ;
  return rnd_state ;
}

int main (void)
{
  htab t = { 0, 0, 0, 0 } ;
  uint64_t k = 42 ;

  is_int(htab_find(&t, htab_mix(k), &eq, &k), HTAB_NONE, "an empty table finds nothing") ;
  htab_del(&t, htab_mix(k), 0) ;
  is_int(t.n, 0, "deleting from an empty table does nothing") ;

  {
    unsigned int bad = 0 ;
    for (uint32_t i = 0 ; i < N ; i++)
    {
      keys[i] = i * 7919u + 1 ;
      if (!htab_put(&t, htab_mix(keys[i]), i)) bad++ ;
    }
    is_int(bad, 0, "%u values put", N) ;
    is_int(t.n, N, "the count is %u", N) ;
    ok(t.cap * 3 >= N * 4 && !(t.cap & (t.cap - 1)), "the table grew to a power of two, at most 3/4 full (%u slots)", t.cap) ;
    bad = 0 ;
    for (uint32_t i = 0 ; i < N ; i++)
      if (htab_find(&t, htab_mix(keys[i]), &eq, &keys[i]) != i) bad++ ;
    is_int(bad, 0, "every value is found under its hash") ;
    k = 0 ;
    is_int(htab_find(&t, htab_mix(k), &eq, &k), HTAB_NONE, "an absent key is not found") ;
  }

  {
    unsigned int bad = 0 ;
    for (uint32_t i = 0 ; i < N ; i += 2) htab_del(&t, htab_mix(keys[i]), i) ;
    is_int(t.n, N / 2, "half deleted") ;
    for (uint32_t i = 0 ; i < N ; i++)
    {
      uint32_t r = htab_find(&t, htab_mix(keys[i]), &eq, &keys[i]) ;
      if (r != (i & 1 ? i : HTAB_NONE)) bad++ ;
    }
    is_int(bad, 0, "deleted values are gone, the others found past their tombstones") ;
    htab_del(&t, htab_mix(keys[1]), 3) ;
    is_int(htab_find(&t, htab_mix(keys[1]), &eq, &keys[1]), 1, "a delete names the value: another value under the same hash stays") ;
  }

  {
    /* svscan's pid table: no eq function, the hash alone decides; many
       values under one hash (a worst case for linear probing) */
    htab c = { 0, 0, 0, 0 } ;
    unsigned int bad = 0 ;
    for (uint32_t i = 0 ; i < 500 ; i++) if (!htab_put(&c, 12345, i)) bad++ ;
    is_int(bad, 0, "500 values under one hash") ;
    for (uint32_t i = 0 ; i < 500 ; i++)
    {
      uint32_t r = htab_find(&c, 12345, 0, 0) ;
      if (r == HTAB_NONE) { bad++ ; break ; }
      htab_del(&c, 12345, r) ;
    }
    is_int(bad, 0, "each is found and deleted in turn") ;
    is_int(htab_find(&c, 12345, 0, 0), HTAB_NONE, "then none is left") ;
    free(c.s) ;
  }

  {
    /* churn: a steady set of 1000 live values under endless put/delete,
       as services come and go for months; tombstones must be swept, so the
       table neither grows without bound nor runs out of empty slots */
    htab c = { 0, 0, 0, 0 } ;
    static uint32_t live[1000] ;
    static unsigned char islive[N] ;
    unsigned int bad = 0 ;
    uint32_t maxcap = 0 ;
    for (uint32_t i = 0 ; i < 1000 ; i++)
    {
      live[i] = i ;
      islive[i] = 1 ;
      keys[i] = rnd() ;
      htab_put(&c, htab_mix(keys[i]), i) ;
    }
    for (uint32_t round = 0 ; round < 200000 ; round++)
    {
      uint32_t j = (uint32_t)(rnd() % 1000) ;
      uint32_t v = live[j] ;
      htab_del(&c, htab_mix(keys[v]), v) ;
      islive[v] = 0 ;
      do v = (uint32_t)(rnd() % N) ; while (islive[v]) ;
      islive[v] = 1 ;
      live[j] = v ;
      keys[v] = rnd() ;
      if (!htab_put(&c, htab_mix(keys[v]), v)) bad++ ;
      if (c.cap > maxcap) maxcap = c.cap ;
      if (c.used * 4 > c.cap * 3) bad++ ;
    }
    is_int(bad, 0, "200000 put/delete pairs: every put succeeds, never more than 3/4 of the slots used") ;
    is_int(c.n, 1000, "1000 values live") ;
    ok(maxcap <= 4096, "the table stays small (%u slots at most)", maxcap) ;
    bad = 0 ;
    for (uint32_t i = 0 ; i < 1000 ; i++)
      if (htab_find(&c, htab_mix(keys[live[i]]), &eq, &keys[live[i]]) != live[i]) bad++ ;
    is_int(bad, 0, "and each of them is found") ;
    free(c.s) ;
  }

  {
    /* htab_mix spreads consecutive pids and inode numbers over the low
       bits, which pick the slot */
    static unsigned char seen[1024] ;
    unsigned int used = 0 ;
    for (uint64_t i = 0 ; i < 1024 ; i++) seen[htab_mix(i) & 1023] = 1 ;
    for (unsigned int i = 0 ; i < 1024 ; i++) used += seen[i] ;
    ok(used > 600, "1024 consecutive keys fill %u of 1024 slots", used) ;
  }

  {
    /* svscan's set of names warned about: string hashes, cleared on every
       full scan; a table left mostly empty gives its memory back */
    htab c = { 0, 0, 0, 0 } ;
    unsigned int bad = 0 ;
    ok(htab_hashstr("junk1") != htab_hashstr("junk2") && htab_hashstr("") != htab_hashstr("a"), "names hash apart") ;
    is_int(htab_hashstr("junk17") == htab_hashstr("junk17"), 1, "the same name, the same hash") ;
    for (uint32_t i = 0 ; i < 40000 ; i++) if (!htab_put(&c, htab_mix(i), i)) bad++ ;
    is_int(bad, 0, "40000 values") ;
    htab_clear(&c) ;
    ok(c.n == 0 && c.used == 0 && c.cap > 0, "cleared, the slots are kept for the next scan (%u)", c.cap) ;
    is_int(htab_find(&c, htab_mix(7), 0, 0), HTAB_NONE, "nothing is found after a clear") ;
    htab_clear(&c) ;
    ok(c.cap == 0 && !c.s, "a second clear of an empty table frees it") ;
    is_int(htab_put(&c, htab_mix(7), 7), 1, "and it grows again") ;
    is_int(htab_find(&c, htab_mix(7), 0, 0), 7, "and finds") ;
    free(c.s) ;
  }

  free(t.s) ;
  return tap_done() ;
}
