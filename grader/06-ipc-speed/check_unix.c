/*
 * check_unix.c - Check tests for lab 06, part 1: the UNIX-domain socket
 * transport (unix_socket.c).
 *
 * A blocking send() on a UNIX socket normally takes the whole buffer, so a
 * send that forgets to loop over short writes works - until a signal, a
 * non-blocking socket or another kernel makes a write short. To test the loop
 * anyway, this file defines its own send, write, recv, read and their
 * relatives: the student's code calls them instead of the C library's, and
 * while short_io is set they move at most a few hundred bytes per call on a
 * socket, through the real system call. Everything else passes straight on.
 */
#include "labcheck.h"
#include "lab06_check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>

/* ---------- short reads and writes on demand ---------- */

static int short_io;                /* 1: cut every socket transfer short */
static unsigned int short_io_calls; /* calls cut short so far */
static size_t short_io_bytes;       /* bytes they moved */

static int is_socket(int fd)
{
    struct stat status;
    return fstat(fd, &status) == 0 && S_ISSOCK(status.st_mode);
}

/* How many of len bytes this call may move: 1 to 700, varying. */
static size_t allowed(int fd, size_t len)
{
    if (!short_io || len <= 1 || !is_socket(fd))
        return len;
    short_io_calls++;
    size_t most = 1 + (short_io_calls * 7919u) % 700u;
    return len < most ? len : most;
}

/* Count what a socket call moved while short_io is set. */
static ssize_t counted(int fd, long result)
{
    if (short_io && result > 0 && is_socket(fd))
        short_io_bytes += (size_t)result;
    return result;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    return counted(fd, syscall(SYS_sendto, fd, buf, allowed(fd, len), flags, NULL, 0));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
               const struct sockaddr *address, socklen_t address_length)
{
    return counted(fd, syscall(SYS_sendto, fd, buf, allowed(fd, len), flags, address, address_length));
}

ssize_t write(int fd, const void *buf, size_t len)
{
    return counted(fd, syscall(SYS_write, fd, buf, allowed(fd, len)));
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    return counted(fd, syscall(SYS_recvfrom, fd, buf, allowed(fd, len), flags, NULL, NULL));
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *address,
                 socklen_t *address_length)
{
    return counted(fd, syscall(SYS_recvfrom, fd, buf, allowed(fd, len), flags, address, address_length));
}

ssize_t read(int fd, void *buf, size_t len)
{
    return counted(fd, syscall(SYS_read, fd, buf, allowed(fd, len)));
}

/* The vector calls: only the first iovec, cut short. */
static int short_vector(int fd, const struct iovec *vector, int count, struct iovec *first)
{
    if (!short_io || count < 1 || !is_socket(fd))
        return count;
    *first = vector[0];
    first->iov_len = allowed(fd, first->iov_len);
    return 1;
}

ssize_t writev(int fd, const struct iovec *vector, int count)
{
    struct iovec first;
    int used = short_vector(fd, vector, count, &first);
    return counted(fd, syscall(SYS_writev, fd, used == count ? vector : &first, used));
}

ssize_t readv(int fd, const struct iovec *vector, int count)
{
    struct iovec first;
    int used = short_vector(fd, vector, count, &first);
    return counted(fd, syscall(SYS_readv, fd, used == count ? vector : &first, used));
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags)
{
    struct msghdr cut = *message;
    struct iovec first;
    int used = short_vector(fd, message->msg_iov, (int)message->msg_iovlen, &first);
    if (used != (int)message->msg_iovlen) {
        cut.msg_iov = &first;
        cut.msg_iovlen = 1;
    }
    return counted(fd, syscall(SYS_sendmsg, fd, &cut, flags));
}

ssize_t recvmsg(int fd, struct msghdr *message, int flags)
{
    struct iovec *saved = message->msg_iov, first;
    size_t saved_length = message->msg_iovlen;
    int used = short_vector(fd, saved, (int)saved_length, &first);
    if (used != (int)saved_length) {
        message->msg_iov = &first;
        message->msg_iovlen = 1;
    }
    ssize_t result = counted(fd, syscall(SYS_recvmsg, fd, message, flags));
    message->msg_iov = saved;
    message->msg_iovlen = saved_length;
    return result;
}

/* ---------- helpers ---------- */

/* Does dir hold an entry whose name starts with prefix? Its type in *type. */
static int entry_with_prefix(const char *dir, const char *prefix, char *found, size_t size,
                             mode_t *type)
{
    DIR *directory = opendir(dir);
    struct dirent *entry;
    int seen = 0;

    ck_assert_msg(directory != NULL, "test setup: opendir(%s): %s", dir, strerror(errno));
    while ((entry = readdir(directory)) != NULL) {
        if (strncmp(entry->d_name, prefix, strlen(prefix)) == 0) {
            char path[4096];
            struct stat status;
            snprintf(found, size, "%s", entry->d_name);
            snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
            *type = lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0;
            seen = 1;
            break;
        }
    }
    closedir(directory);
    return seen;
}

static void nothing(struct pair *pair, void *unused)
{
    (void)pair;
    (void)unused;
}

/* ---------- tests ---------- */

LAB_TEST_WITH_TIMEOUT(unix_socket_carries_messages_of_every_size_both_ways, 3, "4.2", "", 20)
{
    check_every_size_both_ways(&unix_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(unix_socket_is_a_byte_stream, 2, "4.2", "a stream has no messages", 20)
{
    check_byte_stream(&unix_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(unix_socket_send_finishes_a_short_write, 3, "4.2", "short writes", 20)
{
    /* The child reads normally; the parent's send may write only a few
     * hundred bytes per call, as if signals kept interrupting it. */
    short_io = 0;
    struct pair pair;
    size_t largest = every_size[SIZES - 1];
    unsigned char *message = allocate_or_fail(largest), *echo = allocate_or_fail(largest);

    pair_create(&pair, &unix_transport, largest);
    pair_start(&pair, echo_every_size, NULL);
    for (int i = 0; i < 4; i++) {
        fill_pattern(message, every_size[i], (unsigned)i, 0);
        short_io = 1;
        short_io_calls = 0;
        short_io_bytes = 0;
        errno = 0;
        int result = unix_transport.send(pair.state, message, every_size[i]);
        int saved_errno = errno;
        short_io = 0;
        if (result != 0 || short_io_bytes != every_size[i])
            kill_and_reap(pair.child);
        ck_assert_msg(result == 0, "unix: send(%zu bytes), with every write cut short, "
                      "returned %d (errno %d: %s); expected 0", every_size[i], result,
                      saved_errno, strerror(saved_errno));
        ck_assert_msg(short_io_bytes == every_size[i], "unix: send(%zu bytes) returned 0, but "
                      "the socket took only %zu bytes, in %u call(s) that were each cut short: "
                      "send() must call again with the rest until all has gone",
                      every_size[i], short_io_bytes, short_io_calls);
        recv_or_fail(&pair, echo, every_size[i]);
        long wrong = first_wrong_byte(echo, every_size[i], (unsigned)i, 0);
        if (wrong >= 0)
            kill_and_reap(pair.child);
        ck_assert_msg(wrong < 0, "unix: send(%zu bytes) with writes cut short: byte %ld of what "
                      "arrived is wrong (is the rest sent from the right place in the buffer?)",
                      every_size[i], wrong);
    }
    pair_close(&pair);
    free(message);
    free(echo);
}
END_TEST

/* The child sends the messages; the test's recv is cut short. */
static void send_every_size(struct pair *pair, void *unused)
{
    unsigned char *buf = malloc(every_size[SIZES - 1]);

    (void)unused;
    if (buf == NULL)
        child_fails(pair, "malloc failed in the child");
    for (int i = 0; i < 4; i++) {
        fill_pattern(buf, every_size[i], (unsigned)i, 0);
        if (pair->ops->send(pair->state, buf, every_size[i]) == -1)
            child_fails(pair, "the child's send(%zu bytes) failed: %s", every_size[i],
                        strerror(errno));
    }
    free(buf);
}

LAB_TEST_WITH_TIMEOUT(unix_socket_recv_finishes_a_short_read, 3, "4.2", "short reads", 20)
{
    short_io = 0;
    struct pair pair;
    unsigned char *message = allocate_or_fail(every_size[3]);

    pair_create(&pair, &unix_transport, every_size[3]);
    pair_start(&pair, send_every_size, NULL);
    for (int i = 0; i < 4; i++) {
        memset(message, 0, every_size[i]);
        short_io = 1;
        errno = 0;
        int result = unix_transport.recv(pair.state, message, every_size[i]);
        int saved_errno = errno;
        short_io = 0;
        if (result != 0)
            kill_and_reap(pair.child);
        ck_assert_msg(result == 0, "unix: recv(%zu bytes), with every read cut short, "
                      "returned %d (errno %d: %s); expected 0", every_size[i], result,
                      saved_errno, strerror(saved_errno));
        long wrong = first_wrong_byte(message, every_size[i], (unsigned)i, 0);
        if (wrong >= 0)
            kill_and_reap(pair.child);
        ck_assert_msg(wrong < 0, "unix: recv(%zu bytes) returned 0, but byte %ld of the "
                      "message is %u where %u was sent: after a short read, recv() must read "
                      "the rest into the rest of the buffer", every_size[i], wrong,
                      message[wrong], pattern_byte((unsigned)i, (size_t)wrong));
    }
    pair_expect_child_success(&pair);
    pair_close(&pair);
    free(message);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(unix_socket_file_is_removed_once_the_child_has_connected, 2, "4.1", "remove the path", 20)
{
    struct pair pair;
    char found[256] = "";
    mode_t type = 0;

    pair_create(&pair, &unix_transport, 64);
    int there = entry_with_prefix(test_dir(), pair.name, found, sizeof found, &type);
    ck_assert_msg(there && type == S_IFSOCK, "unix: after create(name \"%s\", dir \"%s\") the "
                  "directory should hold a socket whose name starts with \"%s\"; %s",
                  pair.name, test_dir(), pair.name,
                  !there ? "there is none" : "there is an entry, but it is not a socket");
    pair_start(&pair, nothing, NULL);
    there = entry_with_prefix(test_dir(), pair.name, found, sizeof found, &type);
    ck_assert_msg(!there, "unix: once both sides have attached, nobody needs the socket's "
                  "path: attach(SIDE_PARENT) should remove it, but %s/%s is still there",
                  test_dir(), found);
    pair_expect_child_success(&pair);
    pair_close(&pair);
    there = entry_with_prefix(test_dir(), pair.name, found, sizeof found, &type);
    ck_assert_msg(!there, "unix: after close, %s/%s is still there", test_dir(), found);
}
END_TEST

LAB_TEST(unix_socket_close_removes_the_file_when_no_child_came, 2, "4.3", "")
{
    struct pair pair;
    char found[256] = "";
    mode_t type = 0;

    pair_create(&pair, &unix_transport, 64);
    pair_close(&pair);
    int there = entry_with_prefix(test_dir(), pair.name, found, sizeof found, &type);
    ck_assert_msg(!there, "unix: close() right after create() (say, because fork failed) "
                  "should remove the socket's path, but %s/%s is still there", test_dir(),
                  found);
    size_t kept = bytes_kept_by_creates(&unix_transport, &pair.config);
    ck_assert_msg(kept < MORE_CREATES * 16, "unix: %d more create() and close() left %zu more "
                  "bytes allocated; expected none: close() must free the struct", MORE_CREATES,
                  kept);
}
END_TEST

/* close() right after create(), and after a child has connected: each time
 * the process ends with the descriptors it had before create() - the
 * transport's sockets closed, and no other (a connection field that starts
 * at 0, say, would close standard input). */
LAB_TEST_WITH_TIMEOUT(unix_socket_close_closes_its_own_sockets_and_no_other_descriptor, 1, "4.3", "close what create and attach opened", 20)
{
    static const char *const when[] = { "right after create()", "after a child connected" };

    for (int connected = 0; connected <= 1; connected++) {
        struct pair pair;
        int standard_open_before[3], before = lab_open_descriptors();

        for (int fd = 0; fd < 3; fd++)
            standard_open_before[fd] = fcntl(fd, F_GETFD) != -1;
        pair_create(&pair, &unix_transport, 64);
        if (connected) {
            pair_start(&pair, nothing, NULL);
            pair_expect_child_success(&pair);
        }
        pair_close(&pair);
        int after = lab_open_descriptors();
        for (int fd = 0; fd < 3; fd++)
            ck_assert_msg(!standard_open_before[fd] || fcntl(fd, F_GETFD) != -1, "unix: close() "
                          "%s closed descriptor %d, which the process had before create(); "
                          "close() closes only the transport's sockets (a connection not yet "
                          "made is -1, not 0)", when[connected], fd);
        ck_assert_msg(after == before, "unix: %d descriptors were open before create(), %d "
                      "after close() %s; expected the same: close() closes the listening "
                      "socket if it is still open and the connection if there is one, and "
                      "nothing else", before, after, when[connected]);
    }
}
END_TEST

/* After a child connected, attach() has closed the listening socket and
 * removed the path: close() must do neither again. By then the listener's
 * number may be another descriptor's (the lowest free number is the next
 * one open() gives), and another program may have made a file at the path. */
LAB_TEST_WITH_TIMEOUT(unix_socket_close_after_a_child_connected_leaves_the_path_and_other_descriptors_alone, 1, "4.1", "the listener is -1 once closed", 20)
{
    struct pair pair;
    char path[256];
    int others[4];

    pair_create(&pair, &unix_transport, 64);
    snprintf(path, sizeof path, "%s/%s.socket", pair.config.dir, pair.name);
    pair_start(&pair, nothing, NULL);
    pair_expect_child_success(&pair);
    for (int i = 0; i < 4; i++) {
        others[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_msg(others[i] != -1, "test setup: open(/dev/null): %s", strerror(errno));
    }
    int made = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ck_assert_msg(made != -1, "test setup: making a file at %s, where the socket was: %s (the "
                  "parent's attach() removes the path once the child has connected, section "
                  "4.1)", path, strerror(errno));
    close(made);
    pair_close(&pair);
    int path_kept = access(path, F_OK) == 0;
    unlink(path);
    for (int i = 0; i < 4; i++) {
        int still_open = fcntl(others[i], F_GETFD) != -1;
        close(others[i]);
        ck_assert_msg(still_open, "unix: close() in the parent after a child connected closed "
                      "descriptor %d, which the test had opened after attach(): attach() closed "
                      "the listening socket, so set it to -1 there; close() must not close its "
                      "number again", others[i]);
    }
    ck_assert_msg(path_kept, "unix: close() in the parent after a child connected removed %s, a "
                  "file made after attach() had removed the socket's path: close() unlinks the "
                  "path only while the listening socket is still open (no child came); attach() "
                  "sets it to -1 when it closes it", path);
}
END_TEST

LAB_TEST(unix_socket_close_reports_a_path_it_cannot_remove, 1, "4.3", "only ENOENT is ignored")
{
    struct pair pair;
    char path[256];

    pair_create(&pair, &unix_transport, 64);
    snprintf(path, sizeof path, "%s/%s.socket", pair.config.dir, pair.name);
    /* A directory where the socket was: unlink() fails with EISDIR. */
    ck_assert_msg(unlink(path) == 0 && mkdir(path, 0700) == 0, "test setup: replacing %s with "
                  "a directory: %s (does create() bind to DIR/NAME.socket?)", path,
                  strerror(errno));
    errno = 0;
    int result = unix_transport.close(pair.state);
    int saved_errno = errno;
    pair.closed = 1;
    munmap(pair.report, sizeof *pair.report);
    rmdir(path);
    ck_assert_msg(result == -1 && saved_errno == EISDIR, "unix: close() right after create(), "
                  "when a directory has taken the socket's place at %s, returned %d (errno %d: "
                  "%s); expected -1 with errno EISDIR, unlink()'s: only ENOENT is ignored",
                  path, result, saved_errno, strerror(saved_errno));
}
END_TEST

/* The child sends 100 bytes and closes its end. */
static void send_100_and_close(struct pair *pair, void *unused)
{
    unsigned char buf[100];

    (void)unused;
    fill_pattern(buf, sizeof buf, 3, 0);
    if (pair->ops->send(pair->state, buf, sizeof buf) == -1)
        child_fails(pair, "the child's send(100 bytes) failed: %s", strerror(errno));
}

LAB_TEST_WITH_TIMEOUT(unix_socket_recv_fails_with_EPIPE_when_the_other_side_closes, 2, "4.2", "the end of the stream", 20)
{
    struct pair pair;
    unsigned char buf[1000];

    pair_create(&pair, &unix_transport, sizeof buf);
    pair_start(&pair, send_100_and_close, NULL);
    pair_expect_child_success(&pair);
    errno = 0;
    int result = unix_transport.recv(pair.state, buf, sizeof buf);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EPIPE, "unix: recv(1000 bytes) when the other "
                  "side sent 100 and closed returned %d (errno %d: %s); expected -1 with errno "
                  "EPIPE (recv() returning 0 means the end of the stream)", result, saved_errno,
                  strerror(saved_errno));
    pair_close(&pair);
}
END_TEST

static volatile sig_atomic_t sigpipes;

static void count_sigpipe(int signal_number)
{
    (void)signal_number;
    sigpipes++;
}

LAB_TEST_WITH_TIMEOUT(unix_socket_send_fails_with_EPIPE_without_raising_SIGPIPE, 3, "4.2", "MSG_NOSIGNAL", 20)
{
    struct pair pair;
    size_t size = 1024 * 1024;
    unsigned char *buf = allocate_or_fail(size);

    signal(SIGPIPE, count_sigpipe);
    sigpipes = 0;
    pair_create(&pair, &unix_transport, size);
    pair_start(&pair, nothing, NULL);
    pair_expect_child_success(&pair);
    fill_pattern(buf, size, 1, 0);
    errno = 0;
    int result = unix_transport.send(pair.state, buf, size);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EPIPE, "unix: send(1 MiB) to a socket whose "
                  "other end is closed returned %d (errno %d: %s); expected -1 with errno "
                  "EPIPE", result, saved_errno, strerror(saved_errno));
    ck_assert_msg(sigpipes == 0, "unix: send() to a socket whose other end is closed raised "
                  "SIGPIPE, which kills a process that does not catch it; pass MSG_NOSIGNAL "
                  "to send()");
    pair_close(&pair);
    free(buf);
}
END_TEST

LAB_TEST(unix_socket_create_fails_with_ENAMETOOLONG_for_a_long_path, 2, "4.1", "sun_path")
{
    char dir[300], name[96];
    struct transport_config config = { .name = name, .dir = dir, .message_size = 64 };

    unique_name(name, sizeof name);
    snprintf(dir, sizeof dir, "%s/%0120d", test_dir(), 0);  /* 120 zeros: too long a path */
    errno = 0;
    void *state = unix_transport.create(&config);
    int saved_errno = errno;
    if (state != NULL)
        unix_transport.close(state);
    size_t kept = bytes_kept_by_creates(&unix_transport, &config);
    ck_assert_msg(state == NULL && saved_errno == ENAMETOOLONG, "unix: create() with a path of "
                  "%zu bytes returned %s (errno %d: %s); expected NULL with errno ENAMETOOLONG "
                  "(sun_path holds %zu bytes with the final '\\0': check snprintf's result)",
                  strlen(dir) + strlen(name) + 8, state == NULL ? "NULL" : "a state",
                  saved_errno, strerror(saved_errno),
                  sizeof ((struct sockaddr_un *)0)->sun_path);
    ck_assert_msg(kept < MORE_CREATES * 16, "unix: %d more calls of create() that failed "
                  "with ENAMETOOLONG left %zu more bytes allocated; expected none: free the "
                  "struct before returning NULL", MORE_CREATES, kept);
}
END_TEST

/* sun_path holds 108 bytes with the final '\0': a path of 107 bytes fits, one
 * of 108 does not, and the create() that refuses it leaves no socket open. */
LAB_TEST(unix_socket_create_takes_a_path_of_107_bytes_and_refuses_one_of_108, 1, "4.1", "sun_path")
{
    const char *dir = test_dir();
    char name[256];
    struct transport_config config = { .name = name, .dir = dir, .message_size = 64 };
    size_t fits = sizeof ((struct sockaddr_un *)0)->sun_path - 1;
    size_t around_name = strlen(dir) + strlen("/") + strlen(".socket");

    for (size_t path_length = fits; path_length <= fits + 1; path_length++) {
        unique_name(name, sizeof name);
        size_t unique = strlen(name);
        ck_assert_msg(around_name + unique < path_length, "test setup: the name is too long");
        memset(name + unique, 'x', path_length - around_name - unique);
        name[path_length - around_name] = '\0';
        int before = lab_open_descriptors();
        errno = 0;
        void *state = unix_transport.create(&config);
        int saved_errno = errno, after = lab_open_descriptors();
        if (state != NULL)
            unix_transport.close(state);
        if (path_length == fits) {
            ck_assert_msg(state != NULL, "unix: create() with a path of %zu bytes returned NULL "
                          "(errno %d: %s); expected the transport's state: %zu bytes and the "
                          "final '\\0' fill sun_path exactly", path_length, saved_errno,
                          strerror(saved_errno), path_length);
        } else {
            ck_assert_msg(state == NULL && saved_errno == ENAMETOOLONG, "unix: create() with a "
                          "path of %zu bytes returned %s (errno %d: %s); expected NULL with errno "
                          "ENAMETOOLONG: with its final '\\0' it needs %zu bytes, one more than "
                          "sun_path holds", path_length, state == NULL ? "NULL" : "a state",
                          saved_errno, strerror(saved_errno), path_length + 1);
            ck_assert_msg(after == before, "unix: create() that failed with ENAMETOOLONG left "
                          "%d descriptors open, %d before; expected none more: check the "
                          "length before making the socket, or close it", after, before);
        }
    }
}
END_TEST

LAB_TEST_WITH_TIMEOUT(unix_socket_goes_on_when_signals_interrupt_send_and_recv, 2, "4.2", "EINTR", 30)
{
    short_io = 0;
    check_waits_go_on_after_signals(&unix_transport);
}
END_TEST

/* The socket descriptors this process has open: how many, and how many of
 * them are close-on-exec. */
static int sockets_open(int *close_on_exec)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    int count = 0;

    *close_on_exec = 0;
    if (dir == NULL)
        return -1;
    while ((entry = readdir(dir)) != NULL) {
        int fd = atoi(entry->d_name);
        if (entry->d_name[0] == '.' || fd == dirfd(dir) || !is_socket(fd))
            continue;
        count++;
        int flags = fcntl(fd, F_GETFD);
        if (flags != -1 && (flags & FD_CLOEXEC) != 0)
            ++*close_on_exec;
    }
    closedir(dir);
    return count;
}

/* The child: after attach, it must hold one socket, its end of the connection. */
static void count_my_sockets(struct pair *pair, void *unused)
{
    int close_on_exec;
    int count = sockets_open(&close_on_exec);

    (void)unused;
    if (count != 1)
        child_fails(pair, "after attach(SIDE_CHILD) the child holds %d sockets; expected one, "
                    "its end of the connection (close the listening socket it inherited)",
                    count);
    if (close_on_exec != 1)
        child_fails(pair, "the child's connection is not close-on-exec: make it with "
                    "socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)");
}

LAB_TEST_WITH_TIMEOUT(unix_socket_each_side_keeps_only_its_connection, 2, "4.1", "close the listener", 20)
{
    struct pair pair;
    int close_on_exec, before = sockets_open(&close_on_exec);

    pair_create(&pair, &unix_transport, 64);
    pair_start(&pair, count_my_sockets, NULL);
    int after = sockets_open(&close_on_exec);
    if (after - before != 1)
        kill_and_reap(pair.child);
    ck_assert_msg(after - before == 1, "unix: after attach(SIDE_PARENT) the parent holds %d "
                  "sockets more than before create(); expected one, its end of the connection "
                  "(close the listening socket once the child has connected)", after - before);
    pair_expect_child_success(&pair);
    pair_close(&pair);
}
END_TEST

LAB_TEST(unix_socket_makes_its_sockets_close_on_exec, 1, "4.1", "SOCK_CLOEXEC")
{
    struct pair pair;
    int before_cloexec, before = sockets_open(&before_cloexec), after_cloexec;

    pair_create(&pair, &unix_transport, 64);
    int after = sockets_open(&after_cloexec);
    ck_assert_msg(after - before == 1 && after_cloexec - before_cloexec == 1,
                  "unix: create() made %d socket(s), %d of them close-on-exec; expected one, "
                  "the listening socket, made with socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, "
                  "0): a program the process runs later must not inherit it", after - before,
                  after_cloexec - before_cloexec);
    pair_close(&pair);
}
END_TEST

/* No descriptor left (the soft limit of open files lowered to the lowest free
 * one): socket() fails with EMFILE, and create() returns NULL with that errno,
 * makes no path and keeps no memory. */
LAB_TEST(unix_socket_create_fails_with_the_errno_of_socket_when_no_descriptor_is_left, 1, "4.1", "the errno of the call that failed")
{
    char name[96], found[256] = "";
    struct transport_config config = { .name = name, .dir = test_dir(), .message_size = 64 };
    mode_t type = 0;

    unique_name(name, sizeof name);
    struct rlimit limit = lab_use_up_file_descriptors();
    errno = 0;
    void *state = unix_transport.create(&config);
    int saved_errno = errno;
    size_t kept = bytes_kept_by_creates(&unix_transport, &config);
    lab_give_back_file_descriptors(&limit);
    if (state != NULL)
        unix_transport.close(state);
    int there = entry_with_prefix(test_dir(), name, found, sizeof found, &type);
    ck_assert_msg(state == NULL && saved_errno == EMFILE, "unix: create() when no descriptor "
                  "is left returned %s (errno %d: %s); expected NULL with errno EMFILE, the "
                  "errno of socket(), the call that failed", state == NULL ? "NULL" : "a state",
                  saved_errno, strerror(saved_errno));
    ck_assert_msg(!there, "unix: create() failed before bind(), but %s/%s is there",
                  test_dir(), found);
    ck_assert_msg(kept < MORE_CREATES * 16, "unix: %d more calls of create() that failed "
                  "with EMFILE left %zu more bytes allocated; expected none: free the struct "
                  "before returning NULL", MORE_CREATES, kept);
}
END_TEST

LAB_TEST(unix_socket_create_fails_with_EADDRINUSE_when_the_path_is_taken, 1, "4.1", "")
{
    char name[96], path[200], content[16] = "";
    struct transport_config config = { .name = name, .dir = test_dir(), .message_size = 64 };
    int close_on_exec, before = sockets_open(&close_on_exec);

    unique_name(name, sizeof name);
    snprintf(path, sizeof path, "%s/%s.socket", config.dir, name);
    FILE *file = fopen(path, "w");
    ck_assert_msg(file != NULL && fputs("someone's", file) >= 0 && fclose(file) == 0,
                  "test setup: %s: %s", path, strerror(errno));
    errno = 0;
    void *state = unix_transport.create(&config);
    int saved_errno = errno, after = sockets_open(&close_on_exec);
    if (state != NULL)
        unix_transport.close(state);
    size_t kept = bytes_kept_by_creates(&unix_transport, &config);
    file = fopen(path, "r");
    if (file != NULL) {
        if (fgets(content, sizeof content, file) == NULL)
            content[0] = '\0';
        fclose(file);
    }
    unlink(path);
    ck_assert_msg(state == NULL && saved_errno == EADDRINUSE, "unix: create() when its path "
                  "%s is a file already returned %s (errno %d: %s); expected NULL with errno "
                  "EADDRINUSE, bind()'s", path, state == NULL ? "NULL" : "a state",
                  saved_errno, strerror(saved_errno));
    ck_assert_msg(after == before, "unix: create() failed, but left %d socket(s) open: close "
                  "the socket when bind() fails", after - before);
    ck_assert_msg(kept < MORE_CREATES * 16, "unix: %d more calls of create() that failed "
                  "at bind() left %zu more bytes allocated; expected none: free the struct "
                  "before returning NULL", MORE_CREATES, kept);
    ck_assert_msg(strcmp(content, "someone's") == 0, "unix: create() failed at bind(), and "
                  "removed or changed the file that was at %s: unlink the path only when your "
                  "bind() made it", path);
}
END_TEST
