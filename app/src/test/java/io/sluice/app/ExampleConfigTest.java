package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

/** {@code sluice.example.yml} is where an operator finds every setting: each flag of serve is one of its keys. */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("..", "sluice.example.yml");

    @Test
    void everyServeFlagIsAKeyOfTheExampleFile() throws Exception {
        Set<String> flags = new TreeSet<>();
        for (Field f : ServeSettings.class.getDeclaredFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option != null) {
                flags.add(option.names()[0].substring(2));
            }
        }
        Set<String> keys = new TreeSet<>();
        new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.toFile()).fieldNames().forEachRemaining(keys::add);

        assertThat(flags).hasSizeGreaterThan(40);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(flags);
    }

    @Test
    void theExampleFileStatesTheNodesDefaults() throws Exception {
        ServeSettings example = ServeSettings.load(EXAMPLE);
        // the file writes the folders as ./media and ./data, the same folders as the defaults' unequal Paths
        example.mediaDir = null;
        example.dataDir = null;
        assertThat(example.toNodeConfig()).isEqualTo(new ServeSettings().toNodeConfig());
    }
}
