/**
 * RTSP header values as immutable models, one class per header, each with {@code parse} and a
 * {@code toString} that formats it for the wire: Transport, Session, Range (npt), RTP-Info.
 */
package io.sluice.rtsp.headers;
