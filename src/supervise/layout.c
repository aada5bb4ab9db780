/* ISC license. supervise: memory layout, for the private-memory budget.

   An idle supervise's private memory is mostly pages that glibc's static
   start-up dirties.  Its .bss is [ours, skalibs', glibc's head] then
   __pthread_keys (16 kB, never touched) then glibc's tail (about 2 kB,
   touched).  With skalibs 2.13 and glibc 2.36 that tail straddles a page
   boundary, costing a third dirty .bss page (4 kB, 10% of the budget).
   This never-touched pad (no memory: untouched .bss pages are not
   resident) moves the tail into one page; measured good for pad sizes
   from 1888 to 2560 bytes, so it sits in the middle.  If the libraries
   change, the worst case is the old figure, never more. */

char supervise_bss_pad[2240] ;
