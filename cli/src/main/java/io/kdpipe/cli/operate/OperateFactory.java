package io.kdpipe.cli.operate;

import java.lang.reflect.Constructor;

import picocli.CommandLine;

/** Creates commands, handing the {@link OperateContext} to those that take one. */
public final class OperateFactory implements CommandLine.IFactory {

    private final OperateContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public OperateFactory(OperateContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        if (OperateCommand.class.isAssignableFrom(cls)) {
            Constructor<K> c = cls.getDeclaredConstructor();
            c.setAccessible(true);
            K command = c.newInstance();
            ((OperateCommand) command).context = context;
            return command;
        }
        return fallback.create(cls);
    }
}
