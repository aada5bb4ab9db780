/* ISC license. supervise's lifecycle (src/supervise/lifecycle.c, included
   as is) without processes: the mechanics it calls are stand-ins that
   record what was asked, so that each row of lifecycle.c's table is
   checked as a sequence of events. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "tap.h"
#include "../../src/supervise/lifecycle.c"

sv_t sv ;
static char log_[256] ;   /* what the mechanics were asked to do, in order */
static int has_finish, tree_left ;
static uint32_t nextpid ;

static void note (char const *s) { strcat(log_, s) ; strcat(log_, " ") ; }

void try_start (void)
{
  if (!may_start()) return ;
  note("start") ;
  sv.st.state = SVK_RUN ;
  sv.st.pid = ++nextpid ;
  sv.st.flags &= ~(SVK_F_TERMSENT | SVK_F_PAUSED) ;
}
void send_down (void) { note("down-signal") ; sv.st.flags |= SVK_F_TERMSENT ; }
void send_sig (int sig)
{
  if (!sv.st.pid) return ;
  note(sig == SIGSTOP ? "STOP" : sig == SIGCONT ? "CONT" : sig == SIGHUP ? "HUP" : "sig") ;
}
void run_finish (void)
{
  if (!has_finish) { go_down() ; return ; }
  note("finish") ;
  sv.st.state = SVK_FINISH ;
  sv.st.pid = ++nextpid ;
}
int tree_stop (int then) { (void)then ; if (!tree_left) return 0 ; note("tree-stop") ; return 1 ; }
void notif_close (void) { }
void state_stamp (void) { }

static void reset (char want, int finish)
{
  memset(&sv, 0, sizeof sv) ;
  sv.notiffd = sv.pidfd = -1 ;
  sv.startdl = tain_infinite ;
  sv.st.want = want ;
  has_finish = finish ; tree_left = 0 ;
  log_[0] = 0 ;
}

static void bytes (char const *s) { while (*s) ctl_byte(*s++) ; }
static int exited (int code) { return code << 8 ; }   /* a wait status */

int main (void)
{
  reset('d', 0) ; bytes("u") ;
  is_str(log_, "start ", "down, u: start") ;
  ok(sv.st.state == SVK_RUN, "and run") ;

  log_[0] = 0 ; bytes("u") ;
  is_str(log_, "", "run, u: nothing") ;

  log_[0] = 0 ; run_exited(exited(1), 1) ;
  is_str(log_, "start ", "run exits, wanted up, no finish: down, then start again") ;
  is_int(sv.st.exitcode, 1, "the exit code is kept") ;

  log_[0] = 0 ; bytes("d") ;
  is_str(log_, "down-signal ", "run, d: the down-signal") ;
  log_[0] = 0 ; run_exited(0, 1) ;
  is_str(log_, "", "then its exit: down, no restart") ;
  ok(sv.st.state == SVK_DOWN && !sv.st.pid, "down, no pid") ;

  reset('d', 0) ; bytes("x") ; bytes("u") ;
  is_str(log_, "", "down, x then u: never starts (exiting)") ;

  reset('d', 0) ; bytes("o") ;
  is_str(log_, "start ", "down, o: start once") ;
  log_[0] = 0 ; run_exited(0, 1) ;
  is_str(log_, "", "its exit: no restart") ;

  reset('d', 0) ; bytes("u") ; bytes("O") ; log_[0] = 0 ; run_exited(0, 1) ;
  is_str(log_, "", "run, O, exit: no restart") ;

  reset('d', 1) ; bytes("u") ; log_[0] = 0 ; run_exited(exited(3), 1) ;
  is_str(log_, "finish ", "run exits with a ./finish: finish") ;
  ok(sv.st.state == SVK_FINISH, "state finish") ;
  log_[0] = 0 ; bytes("u") ;
  is_str(log_, "", "finish, u: nothing until finish exits") ;
  log_[0] = 0 ; finish_exited(0) ;
  is_str(log_, "start ", "finish exits: down, then start again") ;

  log_[0] = 0 ; run_exited(0, 1) ; finish_exited(exited(125)) ;
  is_str(log_, "finish ", "finish exits 125: down, no restart") ;
  ok(sv.st.want == 'd' && (sv.st.flags & SVK_F_GAVEUP), "want down, gave up") ;
  log_[0] = 0 ; bytes("u") ;
  is_str(log_, "start ", "u after giving up: start") ;
  ok(!(sv.st.flags & SVK_F_GAVEUP), "gave-up cleared") ;

  reset('d', 0) ; bytes("u") ; tree_left = 1 ; log_[0] = 0 ; run_exited(0, 1) ;
  is_str(log_, "tree-stop ", "run exits leaving processes: the tree stop first, nothing else yet") ;
  ok(sv.st.state == SVK_RUN, "still run until the tree is gone") ;

  reset('d', 0) ; bytes("u") ; log_[0] = 0 ; bytes("pc") ;
  is_str(log_, "STOP CONT ", "p then c: STOP, CONT") ;
  ok(!(sv.st.flags & SVK_F_PAUSED), "not paused after c") ;
  log_[0] = 0 ; bytes("h") ;
  is_str(log_, "HUP ", "h: HUP") ;

  reset('d', 0) ; log_[0] = 0 ; bytes("pth") ;
  is_str(log_, "", "down: p, t, h do nothing") ;
  ok(!(sv.st.flags & SVK_F_PAUSED), "and nothing is paused") ;

  reset('u', 0) ; sv.st.flags |= SVK_F_EXIT ;
  ok(!may_start(), "may_start: not while exiting") ;
  sv.st.flags = 0 ; sv.st.state = SVK_FINISH ;
  ok(!may_start(), "may_start: not in finish") ;
  sv.st.state = SVK_DOWN ;
  ok(may_start(), "may_start: down, wanted up") ;
  sv.st.flags |= SVK_F_ONCE ;
  ok(may_start() && !want_run(), "once: may start, not restarted after an exit") ;
  return tap_done() ;
}
