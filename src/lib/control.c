/* ISC license. */

#include <signal.h>
#include "svkit.h"

int svk_control_decode (char c, int *sig)
{
  switch (c)
  {
    case 'u' : return SVK_CTL_UP ;
    case 'd' : return SVK_CTL_DOWN ;
    case 'o' : return SVK_CTL_ONCE ;
    case 'O' : return SVK_CTL_ONCEATMOST ;
    case 'x' : return SVK_CTL_EXIT ;
    case 'r' : return SVK_CTL_RESTART ;
    case 'p' : return SVK_CTL_PAUSE ;
    case 'c' : return SVK_CTL_CONT ;
    case 'h' : *sig = SIGHUP ; return SVK_CTL_SIGNAL ;
    case 'a' : *sig = SIGALRM ; return SVK_CTL_SIGNAL ;
    case 'i' : *sig = SIGINT ; return SVK_CTL_SIGNAL ;
    case 't' : *sig = SIGTERM ; return SVK_CTL_SIGNAL ;
    case 'k' : *sig = SIGKILL ; return SVK_CTL_SIGNAL ;
    case 'q' : *sig = SIGQUIT ; return SVK_CTL_SIGNAL ;
    case '1' : *sig = SIGUSR1 ; return SVK_CTL_SIGNAL ;
    case '2' : *sig = SIGUSR2 ; return SVK_CTL_SIGNAL ;
    case 'y' : case 'w' : *sig = SIGWINCH ; return SVK_CTL_SIGNAL ;
    case 'b' : *sig = SIGABRT ; return SVK_CTL_SIGNAL ;
    default : return SVK_CTL_NONE ;
  }
}

int svk_control_valid (char c)
{
  int sig ;
  return svk_control_decode(c, &sig) != SVK_CTL_NONE ;
}
