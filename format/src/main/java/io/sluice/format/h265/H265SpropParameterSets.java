package io.sluice.format.h265;

import io.sluice.format.h264.SpropParameterSets;
import java.util.List;
import java.util.Map;

/**
 * The SDP parameter sets of H.265 (RFC 7798 section 7.1): {@code sprop-vps}, {@code sprop-sps} and
 * {@code sprop-pps}, each a comma-separated list of base64 NAL units.
 * <pre>
 * a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA/ugJA; sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA/oAUCAXHy5bpKTC8BAQAAAwABAAADAA8I; sprop-pps=RAHAc8GJ
 * </pre>
 * Parameter sets are held as byte arrays: this is configuration, read once per stream.
 */
public final class H265SpropParameterSets {

    public static final String VPS_PARAMETER = "sprop-vps";
    public static final String SPS_PARAMETER = "sprop-sps";
    public static final String PPS_PARAMETER = "sprop-pps";

    private final List<byte[]> vps;
    private final List<byte[]> sps;
    private final List<byte[]> pps;

    public H265SpropParameterSets(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        this.vps = List.copyOf(vps);
        this.sps = List.copyOf(sps);
        this.pps = List.copyOf(pps);
    }

    /**
     * Reads the three parameters of a parsed fmtp (lower-case keys, as
     * {@link io.sluice.format.sdp.MediaDescription#fmtp(int)} gives them); absent ones are empty.
     *
     * @throws IllegalArgumentException naming the parameter that is not base64
     */
    public static H265SpropParameterSets fromFmtp(Map<String, String> fmtp) {
        return new H265SpropParameterSets(read(fmtp, VPS_PARAMETER), read(fmtp, SPS_PARAMETER),
                read(fmtp, PPS_PARAMETER));
    }

    /** Puts the non-empty parameters into {@code fmtp}, in the order VPS, SPS, PPS. */
    public void toFmtp(Map<String, String> fmtp) {
        write(fmtp, VPS_PARAMETER, vps);
        write(fmtp, SPS_PARAMETER, sps);
        write(fmtp, PPS_PARAMETER, pps);
    }

    public List<byte[]> vps() {
        return vps;
    }

    public List<byte[]> sps() {
        return sps;
    }

    public List<byte[]> pps() {
        return pps;
    }

    /** True when VPS, SPS and PPS are all known, so a decoder can start without in-band ones. */
    public boolean isComplete() {
        return !vps.isEmpty() && !sps.isEmpty() && !pps.isEmpty();
    }

    private static List<byte[]> read(Map<String, String> fmtp, String name) {
        String value = fmtp.get(name);
        if (value == null) {
            return List.of();
        }
        try {
            return SpropParameterSets.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static void write(Map<String, String> fmtp, String name, List<byte[]> sets) {
        if (!sets.isEmpty()) {
            fmtp.put(name, SpropParameterSets.format(sets));
        }
    }
}
