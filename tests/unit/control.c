/* ISC license. */
#include <signal.h>
#include "tap.h"
#include "svkit.h"

int main (void)
{
  static struct { char c ; int action ; int sig ; } const t[] = {
    { 'u', SVK_CTL_UP, 0 }, { 'd', SVK_CTL_DOWN, 0 }, { 'o', SVK_CTL_ONCE, 0 },
    { 'O', SVK_CTL_ONCEATMOST, 0 }, { 'x', SVK_CTL_EXIT, 0 }, { 'r', SVK_CTL_RESTART, 0 },
    { 'p', SVK_CTL_PAUSE, 0 }, { 'c', SVK_CTL_CONT, 0 },
    { 'h', SVK_CTL_SIGNAL, SIGHUP }, { 'a', SVK_CTL_SIGNAL, SIGALRM }, { 'i', SVK_CTL_SIGNAL, SIGINT },
    { 't', SVK_CTL_SIGNAL, SIGTERM }, { 'k', SVK_CTL_SIGNAL, SIGKILL }, { 'q', SVK_CTL_SIGNAL, SIGQUIT },
    { '1', SVK_CTL_SIGNAL, SIGUSR1 }, { '2', SVK_CTL_SIGNAL, SIGUSR2 }, { 'y', SVK_CTL_SIGNAL, SIGWINCH },
    { 'w', SVK_CTL_SIGNAL, SIGWINCH }, { 'b', SVK_CTL_SIGNAL, SIGABRT },
  } ;
  for (unsigned int i = 0 ; i < sizeof t / sizeof *t ; i++)
  {
    int sig = 0 ;
    int a = svk_control_decode(t[i].c, &sig) ;
    ok(a == t[i].action && (a != SVK_CTL_SIGNAL || sig == t[i].sig), "control byte '%c'", t[i].c) ;
  }
  {
    int sig = 0, bad = 0 ;
    for (int c = 0 ; c < 256 ; c++)
      if (!strchr("udoOxrpchaitkq12ywb", c) || !c)
        if (svk_control_decode((char)c, &sig) != SVK_CTL_NONE || svk_control_valid((char)c)) bad++ ;
    is_int(bad, 0, "every other byte is ignored") ;
  }
  return tap_done() ;
}
