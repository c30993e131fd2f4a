/*
 * RTP receive sockets that the kernel stamps: the relay benchmark's latency probes. The Java load generator
 * drains 1000 readers on one thread, and a datagram can wait there for milliseconds before it is read, so the
 * arrival it stamps measures the load generator as much as the server. A probe's socket asks for
 * SO_TIMESTAMPNS, the time at which the datagram entered the receive path (on loopback: when the server's
 * send of it reached the loopback device), and reports that, on CLOCK_MONOTONIC, the clock of Java's
 * System.nanoTime(), so that the load generator can subtract the publisher's send time.
 *
 * The load generator does the RTSP (DESCRIBE, SETUP with the ports a probe bound here, PLAY, TEARDOWN); this
 * program only owns the sockets. Commands, one a line on standard input:
 *   open                  bind an RTP/RTCP pair (an even port and the next one)   -> ports I RTP RTCP
 *   rtcp I PORT           where probe I sends a Receiver Report every 5 s (the server's RTCP port)
 *   close I               close probe I's sockets
 * Standard output, one a line:
 *   ports I RTP RTCP      the answer to open (or: error WHAT)
 *   rtp I SEQ KERNEL_NS READ_NS
 *                         one RTP datagram of probe I: its sequence number, the kernel's stamp and the time
 *                         this program read it, both on CLOCK_MONOTONIC in ns
 * It exits at the end of standard input. Options: --host (127.0.0.1), --first-port (61000), --max-probes
 * (1024, the most it takes; the load generator passes its own limit).
 *
 *   gcc -O2 -pthread -o /tmp/rtp_probe bench/src/main/c/rtp_probe.c
 *   java ... RelayLoadMain --probe /tmp/rtp_probe --probes 20
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROBE_LIMIT 1024
#define BATCH 64
#define RTCP_FLAG 0x80000000u
#define REPORT_INTERVAL_NS 5000000000LL

static int rtp_fds[PROBE_LIMIT];
static int rtcp_fds[PROBE_LIMIT];
static struct sockaddr_in rtcp_destinations[PROBE_LIMIT];
static int max_probes = PROBE_LIMIT;
static int probe_count;
static int epoll_fd;
/* Above Linux's default ephemeral range (32768-60999) and the load generator's readers (20000-60000). A
 * port that something else holds (Sluice's native ports with the bench's offset, 61140/61141) fails to
 * bind and is skipped. */
static int next_port = 61000;
static struct in_addr host;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* the probe table and standard output */

static long long ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int bind_udp(int port, int rcvbuf, int stamped) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr = host, .sin_port = htons(port)};
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if ((stamped && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0)
            || bind(fd, (struct sockaddr *) &a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void open_probe(void) {
    pthread_mutex_lock(&lock);
    int i = probe_count;
    int rtp = -1, rtcp = -1;
    for (int attempt = 0; i < max_probes && attempt < 1000 && rtcp < 0; attempt++, next_port += 2) {
        if (next_port + 1 > 65535) next_port = 61000;
        rtp = bind_udp(next_port, 2 << 20, 1);
        rtcp = rtp < 0 ? -1 : bind_udp(next_port + 1, 64 << 10, 0);
        if (rtcp < 0 && rtp >= 0) {
            close(rtp);
            rtp = -1;
        }
    }
    if (rtcp < 0) {
        printf("error no free port pair for probe %d (at most %d probes)\n", i, max_probes);
    } else {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        struct epoll_event rtcp_ev = {.events = EPOLLIN, .data.u32 = i | RTCP_FLAG};
        if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, rtp, &ev) < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, rtcp, &rtcp_ev) < 0) {
            printf("error epoll_ctl for probe %d: %s\n", i, strerror(errno));
            epoll_ctl(epoll_fd, EPOLL_CTL_DEL, rtp, NULL);
            close(rtp);
            close(rtcp);
        } else {
            rtp_fds[i] = rtp;
            rtcp_fds[i] = rtcp;
            probe_count++;
            printf("ports %d %d %d\n", i, next_port - 2, next_port - 1);
        }
    }
    fflush(stdout);
    pthread_mutex_unlock(&lock);
}

static void close_probe(int i) {
    pthread_mutex_lock(&lock);
    if (i >= 0 && i < probe_count && rtp_fds[i] >= 0) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, rtp_fds[i], NULL);
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, rtcp_fds[i], NULL);
        close(rtp_fds[i]);
        close(rtcp_fds[i]);
        rtp_fds[i] = rtcp_fds[i] = -1;
        rtcp_destinations[i].sin_port = 0;
    }
    pthread_mutex_unlock(&lock);
}

/* An empty Receiver Report (RFC 3550 6.4.2, RC = 0): enough to keep a session alive. */
static void send_reports(void) {
    for (int i = 0; i < probe_count; i++) {
        if (rtcp_fds[i] < 0 || rtcp_destinations[i].sin_port == 0) continue;
        uint32_t ssrc = htonl(0x52000000u | (uint32_t) i);
        unsigned char rr[8] = {0x80, 201, 0, 1};
        memcpy(rr + 4, &ssrc, 4);
        sendto(rtcp_fds[i], rr, sizeof rr, 0, (struct sockaddr *) &rtcp_destinations[i], sizeof rtcp_destinations[i]);
    }
}

static void drain_rtp(int i, struct mmsghdr *msgs, unsigned char (*bufs)[2048], char (*cmsgs)[CMSG_SPACE(64)]) {
    for (;;) {
        struct iovec iovs[BATCH];
        for (int m = 0; m < BATCH; m++) {
            iovs[m] = (struct iovec) {bufs[m], sizeof bufs[m]};
            msgs[m].msg_hdr = (struct msghdr) {.msg_iov = &iovs[m], .msg_iovlen = 1,
                    .msg_control = cmsgs[m], .msg_controllen = sizeof cmsgs[m]};
        }
        int n = recvmmsg(rtp_fds[i], msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) return;
        long long read_ns = ns(CLOCK_MONOTONIC);
        /* The kernel stamps on CLOCK_REALTIME: move the stamps to CLOCK_MONOTONIC by the clocks' offset now. */
        long long real_minus_mono = ns(CLOCK_REALTIME) - read_ns;
        for (int m = 0; m < n; m++) {
            if (msgs[m].msg_len < 12) continue;
            long long kernel_ns = 0;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[m].msg_hdr); c; c = CMSG_NXTHDR(&msgs[m].msg_hdr, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    struct timespec t;
                    memcpy(&t, CMSG_DATA(c), sizeof t);
                    kernel_ns = t.tv_sec * 1000000000LL + t.tv_nsec - real_minus_mono;
                }
            }
            int seq = (bufs[m][2] << 8) | bufs[m][3];
            printf("rtp %d %d %lld %lld\n", i, seq, kernel_ns, read_ns);
        }
        if (n < BATCH) return;
    }
}

static void *receive(void *unused) {
    (void) unused;
    struct mmsghdr *msgs = calloc(BATCH, sizeof *msgs);
    unsigned char (*bufs)[2048] = malloc(BATCH * sizeof *bufs);
    char (*cmsgs)[CMSG_SPACE(64)] = malloc(BATCH * sizeof *cmsgs);
    if (!msgs || !bufs || !cmsgs) {
        perror("rtp_probe: buffers");
        exit(2);
    }
    unsigned char discard[2048];
    long long next_reports_ns = ns(CLOCK_MONOTONIC) + REPORT_INTERVAL_NS;
    for (;;) {
        struct epoll_event events[256];
        int n = epoll_wait(epoll_fd, events, 256, 1000);
        pthread_mutex_lock(&lock);
        for (int e = 0; e < n; e++) {
            uint32_t tag = events[e].data.u32;
            int i = (int) (tag & ~RTCP_FLAG);
            if (rtp_fds[i] < 0) continue; /* closed since epoll_wait answered */
            if (tag & RTCP_FLAG) {
                while (recv(rtcp_fds[i], discard, sizeof discard, MSG_DONTWAIT) > 0) {
                }
            } else {
                drain_rtp(i, msgs, bufs, cmsgs);
            }
        }
        if (ns(CLOCK_MONOTONIC) >= next_reports_ns) {
            next_reports_ns += REPORT_INTERVAL_NS;
            send_reports();
        }
        fflush(stdout);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *host_name = "127.0.0.1";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--host")) host_name = argv[i + 1];
        else if (!strcmp(argv[i], "--first-port")) next_port = atoi(argv[i + 1]) & ~1;
        else if (!strcmp(argv[i], "--max-probes")) max_probes = atoi(argv[i + 1]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (inet_pton(AF_INET, host_name, &host) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", host_name);
        return 2;
    }
    if (max_probes < 1 || max_probes > PROBE_LIMIT) {
        fprintf(stderr, "--max-probes must be 1 to %d\n", PROBE_LIMIT);
        return 2;
    }
    epoll_fd = epoll_create1(0);
    pthread_t receiver;
    if (epoll_fd < 0 || pthread_create(&receiver, NULL, receive, NULL) != 0) {
        perror("rtp_probe: epoll or receive thread");
        return 2;
    }
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        int i, port;
        if (!strncmp(line, "open", 4)) {
            open_probe();
        } else if (sscanf(line, "rtcp %d %d", &i, &port) == 2 && i >= 0 && i < max_probes) {
            pthread_mutex_lock(&lock);
            rtcp_destinations[i] = (struct sockaddr_in) {.sin_family = AF_INET, .sin_addr = host,
                    .sin_port = htons(port)};
            pthread_mutex_unlock(&lock);
        } else if (sscanf(line, "close %d", &i) == 1) {
            close_probe(i);
        } else {
            pthread_mutex_lock(&lock);
            printf("error unknown command %s", line);
            fflush(stdout);
            pthread_mutex_unlock(&lock);
        }
    }
    return 0;
}
