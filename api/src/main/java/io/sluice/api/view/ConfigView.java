package io.sluice.api.view;

import java.util.List;
import java.util.Map;

/**
 * The node's settings.
 *
 * @param values         what the node runs with now, by sluice.yml key (durations in seconds)
 * @param overrides      what was changed through the API and is stored (it wins over the file and flags)
 * @param live           the keys a change of which applies at once
 * @param pendingRestart the keys whose stored value differs from the running one until the next start
 * @param dataDir        where keys and these settings are stored (cannot change at run time)
 */
public record ConfigView(Map<String, Object> values, Map<String, Object> overrides, List<String> live,
                         List<String> pendingRestart, String dataDir) {
}
