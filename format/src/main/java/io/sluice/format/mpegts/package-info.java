/**
 * MPEG-2 transport stream (ISO/IEC 13818-1) as the native protocol carries it: a muxer of H.264/H.265
 * and AAC into TS packets (PAT/PMT, PES, PCR, continuity counters, Annex B with AUD and parameter sets
 * before every keyframe, ADTS) and a demuxer of the first program back into PES packets. The bridge
 * between RTSP's elementary streams and the native protocol's TS is built from these.
 */
package io.sluice.format.mpegts;
