package io.sluice.format.h264;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The SDP {@code sprop-parameter-sets} and {@code profile-level-id} parameters of H.264 (RFC 6184
 * section 8.1): parameter set NAL units in base64, separated by commas.
 * <pre>
 * sprop-parameter-sets=Z2QAFqzZQKA/oQAAAwABAAADADIPFi2W,aOvjyyLA
 *                      \_____________ SPS ______________/ \_PPS_/
 * profile-level-id=640016
 *                  | | +- level_idc             (SPS byte 3)
 *                  | +--- constraint flags      (SPS byte 2)
 *                  +----- profile_idc           (SPS byte 1)
 * </pre>
 * The same base64 list form carries H.265's {@code sprop-vps}, {@code sprop-sps} and {@code sprop-pps}.
 */
public final class SpropParameterSets {

    private SpropParameterSets() {
    }

    /**
     * The NAL units of a {@code sprop-parameter-sets} value, in order; empty entries are skipped.
     *
     * @throws IllegalArgumentException naming the entry that is not base64
     */
    public static List<byte[]> parse(String value) {
        List<byte[]> sets = new ArrayList<>();
        String[] entries = value.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                sets.add(Base64.getDecoder().decode(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter set " + (i + 1) + " is not base64: '" + entry + "'", e);
            }
        }
        return sets;
    }

    /** The {@code sprop-parameter-sets} value for these NAL units, in order. */
    public static String format(List<byte[]> parameterSets) {
        StringBuilder out = new StringBuilder();
        for (byte[] set : parameterSets) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(Base64.getEncoder().encodeToString(set));
        }
        return out.toString();
    }

    /**
     * The {@code profile-level-id} of an SPS NAL unit (with its header byte): six upper-case hex digits.
     *
     * @throws IllegalArgumentException when it is not an SPS of at least 4 bytes
     */
    public static String profileLevelId(byte[] sps) {
        if (sps.length < 4 || H264NalUnit.type(sps[0]) != H264NalUnit.SPS) {
            throw new IllegalArgumentException("not an H.264 SPS NAL unit");
        }
        return String.format("%02X%02X%02X", sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }
}
