/*
 * The kernel's floor for the node's UDP fan-out: the closed loop of FanOutCpuMain, in C, with no JVM and no
 * relay logic, so that Sluice's media loop can be compared with the cheapest send this machine allows, in
 * the same run. One thread sends synthetic RTP frames (a keyframe of --keyframe-packets every --gop frames,
 * otherwise --packets, all 1400 bytes but the last, which is 700) to N loopback sockets that another thread
 * drains; a frame is sent once the readers hold all but the previous frame's datagrams, as FanOutCpuMain
 * does. The sender's own CPU time while it sends (user + kernel, which on loopback includes the readers'
 * receive path run in the sender's context; not its wait for the readers) is divided by the datagrams sent.
 *
 * Modes, the ways a server can send a frame to N readers:
 *   sendto    one sendto(2) per datagram (a naive server)
 *   sendmmsg  one mmsghdr per datagram, up to 1024 per sendmmsg(2) (GStreamer's multiudpsink, live555 batched)
 *   gso       one mmsghdr per reader carrying the whole frame with UDP_SEGMENT, up to 1024 per sendmmsg(2)
 *             (what Sluice's media loop does through Netty's SegmentedDatagramPacket)
 *
 *   gcc -O2 -pthread -o /tmp/fanout_floor bench/src/main/c/fanout_floor.c
 *   /tmp/fanout_floor --mode gso --readers 1000 --frames 200
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define PACKET_BYTES 1400
#define MAX_PACKETS 64 /* UDP_SEGMENT carries at most 64 segments */
#define GSO_MAX_SEGMENTS (65507 / PACKET_BYTES) /* and at most 65507 bytes of UDP payload */
#define BATCH 1024     /* UIO_MAXIOV: sendmmsg takes at most this many messages */

enum mode { SENDTO, SENDMMSG, GSO };

static int readers = 1000, frames = 200, gop = 50, packets = 7, keyframe_packets = 60;
static enum mode mode = GSO;
static int *reader_fds;
static struct sockaddr_in *reader_addrs;
static atomic_long received;
static atomic_long gaps;

static void die(const char *what) {
    perror(what);
    exit(2);
}

static double thread_cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double wall_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Drains every reader socket, counting datagrams and sequence gaps, like FanOutCpuMain's Drain. */
static void *drain(void *unused) {
    (void) unused;
    int ep = epoll_create1(0);
    int *next_seq = malloc(sizeof(int) * readers);
    for (int i = 0; i < readers; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, reader_fds[i], &ev) < 0) die("epoll_ctl");
        next_seq[i] = -1;
    }
    struct epoll_event events[256];
    unsigned char buf[2048];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int e = 0; e < n; e++) {
            int i = events[e].data.u32;
            ssize_t len;
            while ((len = recv(reader_fds[i], buf, sizeof buf, MSG_DONTWAIT)) > 0) {
                int seq = (buf[2] << 8) | buf[3];
                if (next_seq[i] >= 0 && seq != next_seq[i]) atomic_fetch_add(&gaps, 1);
                next_seq[i] = (seq + 1) & 0xFFFF;
                atomic_fetch_add(&received, 1);
            }
        }
    }
    return NULL;
}

/* One frame as the publisher would have packetized it: RTP headers with consecutive sequence numbers. */
static int build_frame(unsigned char *frame, size_t *sizes, int frame_index, int *seq) {
    int keyframe = frame_index % gop == 0;
    int n = keyframe ? keyframe_packets : packets;
    uint32_t timestamp = 3600u * frame_index;
    for (int p = 0; p < n; p++) {
        unsigned char *pkt = frame + (size_t) p * PACKET_BYTES;
        memset(pkt, 0, 13);
        pkt[0] = 0x80;
        pkt[1] = (p == n - 1 ? 0x80 : 0) | 96;
        pkt[2] = (*seq >> 8) & 0xFF;
        pkt[3] = *seq & 0xFF;
        pkt[4] = timestamp >> 24; pkt[5] = timestamp >> 16; pkt[6] = timestamp >> 8; pkt[7] = timestamp;
        pkt[8] = 0x00; pkt[9] = 0x00; pkt[10] = 0x12; pkt[11] = 0x34;
        pkt[12] = keyframe && p == 0 ? 0x65 : 0x41;
        sizes[p] = p == n - 1 ? PACKET_BYTES / 2 : PACKET_BYTES;
        *seq = (*seq + 1) & 0xFFFF;
    }
    return n;
}

static void send_all(int fd, struct mmsghdr *msgs, int count) {
    for (int done = 0; done < count;) {
        int chunk = count - done < BATCH ? count - done : BATCH;
        int sent = sendmmsg(fd, msgs + done, chunk, 0);
        if (sent < 0) {
            if (errno == EAGAIN || errno == ENOBUFS) continue;
            die("sendmmsg");
        }
        done += sent;
    }
}

static void send_frame(int fd, unsigned char *frame, size_t *sizes, int n, struct mmsghdr *msgs,
                       struct iovec *iovs, char (*cmsgs)[CMSG_SPACE(sizeof(uint16_t))]) {
    if (mode == SENDTO) {
        for (int r = 0; r < readers; r++)
            for (int p = 0; p < n; p++)
                while (sendto(fd, frame + (size_t) p * PACKET_BYTES, sizes[p], 0,
                              (struct sockaddr *) &reader_addrs[r], sizeof reader_addrs[r]) < 0)
                    if (errno != EAGAIN && errno != ENOBUFS) die("sendto");
        return;
    }
    int count = 0;
    for (int r = 0; r < readers; r++) {
        if (mode == SENDMMSG) {
            for (int p = 0; p < n; p++, count++) {
                iovs[count] = (struct iovec) {frame + (size_t) p * PACKET_BYTES, sizes[p]};
                msgs[count].msg_hdr = (struct msghdr) {.msg_name = &reader_addrs[r],
                        .msg_namelen = sizeof reader_addrs[r], .msg_iov = &iovs[count], .msg_iovlen = 1};
            }
        } else {
            /* The frame's packets lie back to back, so one iovec covers a run of them and the kernel cuts it
             * at 1400 bytes; a run is at most 64 KiB of payload, so a keyframe takes two messages. */
            for (int p = 0; p < n; p += GSO_MAX_SEGMENTS, count++) {
                int last = p + GSO_MAX_SEGMENTS < n ? p + GSO_MAX_SEGMENTS - 1 : n - 1;
                iovs[count] = (struct iovec) {frame + (size_t) p * PACKET_BYTES,
                        (size_t) (last - p) * PACKET_BYTES + sizes[last]};
                struct msghdr *h = &msgs[count].msg_hdr;
                *h = (struct msghdr) {.msg_name = &reader_addrs[r], .msg_namelen = sizeof reader_addrs[r],
                        .msg_iov = &iovs[count], .msg_iovlen = 1};
                if (last > p) {
                    h->msg_control = cmsgs[count];
                    h->msg_controllen = CMSG_SPACE(sizeof(uint16_t));
                    struct cmsghdr *c = CMSG_FIRSTHDR(h);
                    c->cmsg_level = SOL_UDP;
                    c->cmsg_type = UDP_SEGMENT;
                    c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
                    *(uint16_t *) CMSG_DATA(c) = PACKET_BYTES;
                }
            }
        }
    }
    send_all(fd, msgs, count);
}

int main(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--readers")) readers = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--frames")) frames = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--gop")) gop = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--packets")) packets = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--keyframe-packets")) keyframe_packets = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--mode")) {
            if (!strcmp(argv[i + 1], "sendto")) mode = SENDTO;
            else if (!strcmp(argv[i + 1], "sendmmsg")) mode = SENDMMSG;
            else if (!strcmp(argv[i + 1], "gso")) mode = GSO;
            else { fprintf(stderr, "unknown mode %s\n", argv[i + 1]); return 2; }
        } else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (readers < 1 || packets < 1 || keyframe_packets < 1 || packets > MAX_PACKETS
            || keyframe_packets > MAX_PACKETS || gop < 1 || frames < 1) {
        fprintf(stderr, "bad sizes: packets per frame must be 1..%d\n", MAX_PACKETS);
        return 2;
    }
    reader_fds = malloc(sizeof(int) * readers);
    reader_addrs = malloc(sizeof(struct sockaddr_in) * readers);
    int rcvbuf = 1 << 20;
    for (int i = 0; i < readers; i++) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) die("socket");
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (bind(fd, (struct sockaddr *) &a, sizeof a) < 0) die("bind");
        socklen_t len = sizeof a;
        getsockname(fd, (struct sockaddr *) &a, &len);
        reader_fds[i] = fd;
        reader_addrs[i] = a;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *) &local, sizeof local) < 0) die("bind sender");
    pthread_t drainer;
    pthread_create(&drainer, NULL, drain, NULL);

    size_t max_messages = (size_t) readers * MAX_PACKETS;
    struct mmsghdr *msgs = calloc(max_messages, sizeof *msgs);
    struct iovec *iovs = calloc(max_messages, sizeof *iovs);
    char (*cmsgs)[CMSG_SPACE(sizeof(uint16_t))] = calloc(max_messages, sizeof *cmsgs);
    unsigned char *frame = malloc((size_t) MAX_PACKETS * PACKET_BYTES);
    size_t sizes[MAX_PACKETS];
    long sent = 0, previous = 0;
    int seq = 0;
    double cpu = 0, wall0 = 0;
    long sent0 = 0;
    for (int f = 0; f < 2 * frames; f++) {
        if (f == frames) { /* the first half warms up caches and slabs */
            while (atomic_load(&received) < sent) usleep(50);
            cpu = 0;
            wall0 = wall_seconds();
            sent0 = sent;
        }
        while (atomic_load(&received) < sent - previous) usleep(50);
        double before = thread_cpu_seconds();
        int n = build_frame(frame, sizes, f, &seq);
        send_frame(fd, frame, sizes, n, msgs, iovs, cmsgs);
        cpu += thread_cpu_seconds() - before;
        previous = (long) n * readers;
        sent += previous;
    }
    while (atomic_load(&received) < sent) usleep(50);
    double wall = wall_seconds() - wall0;
    long datagrams = sent - sent0;
    const char *names[] = {"sendto", "sendmmsg", "gso"};
    printf("C %s, %d readers, %d frames: %ld datagrams, sender CPU %.3f s, %.3f us per datagram "
           "(%.1f %% of a core per 100k datagrams/s), %.0f datagrams/s, gaps %ld\n",
           names[mode], readers, frames, datagrams, cpu, cpu * 1e6 / datagrams, cpu / datagrams * 1e5 * 100,
           datagrams / wall, atomic_load(&gaps));
    return atomic_load(&gaps) == 0 ? 0 : 1;
}
