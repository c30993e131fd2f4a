/** RTSP authentication: Basic and MD5 Digest (RFC 2617) for servers and clients, and stateless nonces. */
package io.sluice.rtsp.auth;
