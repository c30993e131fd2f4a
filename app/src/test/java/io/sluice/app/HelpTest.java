package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code --help} of every command says what each of its flags and arguments is. */
class HelpTest {

    @Test
    void everyFlagAndArgumentOfEveryCommandIsDescribed() {
        List<String> undescribed = new ArrayList<>();
        collect(new CommandLine(new SluiceCommand()), undescribed);
        assertThat(undescribed).isEmpty();
    }

    @Test
    void everyCommandAnswersHelp() {
        List<CommandLine> all = new ArrayList<>();
        walk(new CommandLine(new SluiceCommand()), all);
        assertThat(all).hasSizeGreaterThan(5);
        for (CommandLine c : all) {
            assertThat(c.getCommandSpec().mixinStandardHelpOptions() || c.getCommand() instanceof CommandLine.HelpCommand)
                    .as(c.getCommandSpec().qualifiedName()).isTrue();
        }
    }

    private static void collect(CommandLine command, List<String> undescribed) {
        for (ArgSpec arg : command.getCommandSpec().args()) {
            if (String.join("", arg.description()).isBlank()) {
                undescribed.add(command.getCommandSpec().qualifiedName() + " " + arg.paramLabel());
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, undescribed));
    }

    private static void walk(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> walk(sub, all));
    }
}
