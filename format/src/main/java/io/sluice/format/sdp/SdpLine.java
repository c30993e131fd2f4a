package io.sluice.format.sdp;

/** One {@code <type>=<value>} line that the model keeps as text (all but m= and a=). */
record SdpLine(char type, String value) {
}
