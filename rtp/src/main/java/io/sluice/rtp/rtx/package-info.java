/** RTP retransmission payload format (RFC 4588): building and reading RTX packets. */
package io.sluice.rtp.rtx;
