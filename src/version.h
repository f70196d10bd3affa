/* The version, shown by --version and sent in the User-Agent. */
#ifndef BOXLOGIN_VERSION_H
#define BOXLOGIN_VERSION_H

#define BOXLOGIN_VERSION "0.2.0"

#endif
