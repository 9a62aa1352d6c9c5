/* Exit statuses, named once (listed in --help and the man page). */
#ifndef WSAERR_STATUS_H
#define WSAERR_STATUS_H

enum exit_status {
    STATUS_OK = 0,      /* success, whether or not anything was annotated */
    STATUS_NONE = 1,    /* a lookup or search found nothing */
    STATUS_TROUBLE = 2, /* usage, pattern, input or output error */
};

#endif
