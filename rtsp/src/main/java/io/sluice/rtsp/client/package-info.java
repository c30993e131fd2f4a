/** An RTSP 1.0 client over Netty, for tests, origin pulls and the SDK. */
package io.sluice.rtsp.client;
