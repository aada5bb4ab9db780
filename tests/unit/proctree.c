/* ISC license. svk_tree (the members of a tree, pass after pass),
   svk_proc_stat and svk_proc_each on the real /proc. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include "tap.h"
#include "svkit.h"

static svk_procinfo mk (pid_t pid, pid_t ppid, pid_t sid, char state)
{
  svk_procinfo p = { .pid = pid, .ppid = ppid, .pgid = pid, .sid = sid, .start = 1, .state = state } ;
  return p ;
}

static unsigned int walk (svk_tree *t, svk_procinfo const *v, unsigned int n, unsigned int *passes)
{
  unsigned int found = 0 ;
  *passes = 0 ;
  do
  {
    ++*passes ;
    for (unsigned int i = 0 ; i < n ; i++) found += (unsigned int)svk_tree_visit(t, v + i) ;
  } while (svk_tree_more(t)) ;
  return found ;
}

static pid_t self ;
static unsigned int nreal ;

static int count (svk_procinfo const *p, void *data)
{
  svk_tree *t = data ;
  if (p->pid == self) nreal |= 0x100 ;
  nreal += (unsigned int)svk_tree_visit(t, p) ;
  return 0 ;
}

int main (void)
{
  pid_t set[16] ;
  svk_tree t ;
  unsigned int passes ;
  /* in pid order, as /proc lists them; 90 is a child of 102 (pid wrap) */
  svk_procinfo v[] =
  {
    mk(90, 102, 100, 'S'), mk(100, 1, 100, 'S'), mk(101, 100, 101, 'S'), mk(102, 101, 102, 'S'),
    mk(103, 100, 103, 'Z'), mk(200, 1, 50, 'S'), mk(201, 200, 201, 'R'), mk(300, 1, 300, 'S'),
  } ;
  unsigned int n = sizeof v / sizeof *v ;

  svk_tree_init(&t, 100, 0, set, 16) ;
  is_int(walk(&t, v, n, &passes), 3, "below 100: 101, 102, and 90 (a child with a lower pid)") ;
  is_int(passes, 2, "a second pass for the child with a lower pid than its parent") ;

  svk_tree_init(&t, 100, 50, set, 16) ;
  is_int(walk(&t, v, n, &passes), 5, "with session 50: 200 and its child 201 too") ;

  svk_tree_init(&t, 300, 0, set, 16) ;
  is_int(walk(&t, v, n, &passes), 0, "a leaf has no member") ;
  is_int(passes, 1, "one pass when nothing joins") ;

  svk_tree_init(&t, 1, 0, set, 2) ;
  is_int(walk(&t, v, n, &passes), 5, "cap 2: 100, 101 (kept as parents), 102, 200, 300 reported; 201 missed") ;
  ok(t.full, "the set overflowed") ;
  is_int(passes, 1, "no further pass after an overflow") ;

  /* the real /proc: a child that forks a grandchild in a new session */
  self = getpid() ;
  {
    svk_procinfo me ;
    int p[2] ;
    pid_t kid, gkid ;
    is_int(svk_proc_stat(self, &me), 1, "svk_proc_stat of self") ;
    is_int(me.ppid, getppid(), "ppid") ;
    is_int(me.sid, getsid(0), "sid") ;
    is_int(me.pgid, getpgid(0), "pgid") ;
    ok(me.state == 'R', "state R") ;
    {
      /* rss (field 24) is statm's second field; cpu grows with work done */
      char buf[128] ;
      unsigned long size, res ;
      FILE *f = fopen("/proc/self/statm", "r") ;
      int got = f && fgets(buf, sizeof buf, f) && sscanf(buf, "%lu %lu", &size, &res) == 2 ;
      svk_procinfo again ;
      volatile unsigned long spin = 0 ;
      uint64_t before = me.cpu ;
      if (f) fclose(f) ;
      ok(got && me.rss > 0 && (me.rss * 2 > res && me.rss < res * 2), "rss: resident pages, as statm says") ;
      while (svk_proc_stat(self, &again) == 1 && again.cpu == before && spin < 4000000000UL)
        for (unsigned int i = 0 ; i < 1000000 ; i++) spin++ ;
      ok(again.cpu > before, "cpu: utime+stime ticks grow while it works") ;
      is_int(again.ccpu, 0, "ccpu: no child waited for yet") ;
    }
    if (pipe(p) < 0) { printf("Bail out! pipe\n") ; return 1 ; }
    kid = fork() ;
    if (!kid)
    {
      if (!fork())
      {
        pid_t me = getpid() ;
        setsid() ;
        if (write(p[1], &me, sizeof me) != sizeof me) _exit(1) ;
        pause() ;
        _exit(0) ;
      }
      pause() ;
      _exit(0) ;
    }
    close(p[1]) ;
    if (read(p[0], &gkid, sizeof gkid) != sizeof gkid) { printf("Bail out! no grandchild\n") ; return 1 ; }
    svk_tree_init(&t, self, 0, set, 16) ;
    nreal = 0 ;
    do is_int(svk_proc_each(&count, &t), 0, "svk_proc_each reads /proc") ;
    while (svk_tree_more(&t)) ;
    ok(nreal & 0x100, "svk_proc_each saw this process") ;
    is_int(nreal & 0xff, 2, "the child and the grandchild in its own session") ;
    kill(gkid, SIGKILL) ;
    kill(kid, SIGKILL) ;
    waitpid(kid, 0, 0) ;
    /* the grandchild is reaped by init or a subreaper: wait for its pid to go */
    for (int i = 0 ; i < 500 && kill(gkid, 0) == 0 ; i++) usleep(10000) ;
    svk_tree_init(&t, self, 0, set, 16) ;
    nreal = 0 ;
    svk_proc_each(&count, &t) ;
    is_int(nreal & 0xff, 0, "no member once they are gone") ;
  }
  is_int(svk_proc_stat(0x7ffffff0, &v[0]), 0, "svk_proc_stat: no such process: 0") ;
  return tap_done() ;
}
