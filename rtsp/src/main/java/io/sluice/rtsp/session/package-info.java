/** The server-side RTSP session state machine and the typed error that carries an RTSP status. */
package io.sluice.rtsp.session;
