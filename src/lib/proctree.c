/* ISC license. The processes of one tree, found in /proc without cgroups:
   every process below a root, plus every process of one session and below.
   The caller feeds the processes of /proc in increasing pid order (as
   svk_proc_each gives them), pass after pass while svk_tree_more says so. */

#include "svkit.h"

void svk_tree_init (svk_tree *t, pid_t root, pid_t sid, pid_t *set, size_t cap)
{
  t->root = root ;
  t->sid = sid ;
  t->set = set ;
  t->cap = cap ;
  t->n = 0 ;
  t->added = t->again = t->full = 0 ;
}

static int in (svk_tree const *t, pid_t pid)
{
  if (pid == t->root) return 1 ;
  for (size_t i = 0 ; i < t->n ; i++) if (t->set[i] == pid) return 1 ;
  return 0 ;
}

int svk_tree_visit (svk_tree *t, svk_procinfo const *p)
{
  if (p->pid == t->root || p->pid <= 1 || p->state == 'Z' || p->state == 'X') return 0 ;
  if (!((t->sid > 0 && p->sid == t->sid) || in(t, p->ppid)))
  {
    /* its parent comes later in this pass, and may yet join */
    if (p->ppid > p->pid) t->again = 1 ;
    return 0 ;
  }
  if (in(t, p->pid)) return 0 ;   /* found by an earlier pass */
  t->added++ ;
  if (t->n < t->cap) t->set[t->n++] = p->pid ;
  else t->full = 1 ;
  return 1 ;
}

int svk_tree_more (svk_tree *t)
{
  int r = t->again && t->added && !t->full ;
  t->added = t->again = 0 ;
  return r ;
}
