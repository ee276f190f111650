package dev.conductor.instrumentation.weave;

import dev.conductor.bootstrap.ContextCarrier;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The agent's class file transformer: weaves the hooks of the matching rules into each class as it
 * loads, and into classes already loaded when asked to retransform them.
 *
 * <p>It never fails a class: whatever goes wrong is counted and reported, and the class loads
 * unchanged.
 */
public final class Weaver implements ClassFileTransformer {
  /**
   * {@code -Dconductor.debug.instrumentation=true}: one line for each class that matched a point,
   * for finding out why a point does not record.
   */
  private static final boolean DEBUG = Boolean.getBoolean("conductor.debug.instrumentation");

  /** The loader of the agent's own classes, which are never woven. */
  private static final ClassLoader AGENT_LOADER = Weaver.class.getClassLoader();

  private final List<Rule> rules;
  private final Supertypes supertypes;

  /** Internal names of the classes to give trace context fields as they load. */
  private final Set<String> contextCarriers;

  /** Which of those a class extends: a subclass of one inherits the fields. */
  private final Supertypes carrierSupertypes;

  /** Per class loader, whether it resolves {@link ContextCarrier} to the agent's own. */
  private final Map<ClassLoader, Boolean> seesCarrier =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Instrumentation instrumentation;

  /** The classes loaded when installed, until {@link #weaveLoadedBefore} has looked at them. */
  private Class<?>[] loadedAtInstall;

  private final Consumer<String> warnings;
  private final AtomicLong transformed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean unreadableReported = new AtomicBoolean();

  Weaver(Rules rules, Instrumentation instrumentation, Consumer<String> warnings) {
    this.rules = rules.all();
    Set<String> asked = new HashSet<>();
    for (Rule rule : this.rules) {
      if (rule.types().name() == null) {
        continue; // any class
      }
      asked.add(rule.types().name());
      if (rule.types().unless() != null) {
        asked.add(rule.types().unless());
      }
    }
    this.supertypes = new Supertypes(asked);
    this.contextCarriers = rules.contextCarriers();
    Set<String> carrierNames = new HashSet<>();
    for (String carrier : contextCarriers) {
      carrierNames.add(carrier.replace('/', '.'));
    }
    this.carrierSupertypes = new Supertypes(carrierNames);
    this.instrumentation = instrumentation;
    this.warnings = warnings;
  }

  /**
   * Registers the transformer and notes the classes already loaded, which {@link
   * #weaveLoadedBefore} weaves.
   *
   * @return the transformer, which stays registered for the life of the JVM
   */
  public static Weaver install(
      Rules rules, Instrumentation instrumentation, Consumer<String> warnings) {
    Weaver weaver = new Weaver(rules, instrumentation, warnings);
    // What the transformer runs for a class it passes over must not load or initialize a class: it
    // is also called for the agent's own classes, while their loader holds the class's loading
    // lock. Initializing Ignored on first use deadlocked premain (seen in about 1 of 60 starts on
    // JDK 25): one agent thread initializing it, which loads Ignored$Names, waited for that
    // class's loading lock, held by the preloading thread, which was defining Ignored$Names and,
    // in this transformer, waited for Ignored to be initialized. So Ignored is initialized here,
    // and the agent's own classes are passed over before anything else (see transform).
    Ignored.isIgnored("");
    instrumentation.addTransformer(weaver, true);
    weaver.loadedAtInstall = instrumentation.getAllLoadedClasses();
    return weaver;
  }

  /**
   * Weaves the classes that were loaded when the weaver was installed and match a rule, by
   * retransforming them; the first call only. Separate from {@link #install} so that the caller can
   * load other classes through the weaver meanwhile: those are not in this list, and are not woven
   * twice.
   */
  public void weaveLoadedBefore() {
    Class<?>[] loaded = loadedAtInstall;
    loadedAtInstall = null;
    if (loaded == null) {
      return;
    }
    List<Class<?>> named = askedAmong(loaded);
    if (named.isEmpty()) {
      return; // the usual case in premain: none of the types the rules name is loaded yet
    }
    for (Class<?> type : loaded) {
      if (isAnyOf(type, named) && isCandidate(type)) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Throwable e) {
          failed.incrementAndGet();
          report(type.getName(), e);
        }
      }
    }
  }

  /**
   * The loaded classes whose names the rules ask about. Only rules of named types apply to classes
   * loaded before the agent (see the first {@code matching}), so a loaded class can match one only
   * if it is, extends or implements one of these, which are then loaded too. Checking that first
   * spares the full look at each loaded class's supertypes: in premain, where some 1,200 classes
   * are loaded and none matches, the scan took the host's main thread 10 to 19 ms that way and
   * takes 2 to 7 ms now; attached to a running JVM with tens of thousands of classes,
   * proportionally more.
   */
  private List<Class<?>> askedAmong(Class<?>[] loaded) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> type : loaded) {
      if (supertypes.asks(type.getName())) {
        found.add(type);
      }
    }
    return found;
  }

  private static boolean isAnyOf(Class<?> type, List<Class<?>> named) {
    for (Class<?> supertype : named) {
      if (supertype.isAssignableFrom(type)) {
        return true;
      }
    }
    return false;
  }

  /** Host classes woven so far. */
  public long transformedTypes() {
    return transformed.get();
  }

  /** Host classes that matched but could not be woven. */
  public long failedTypes() {
    return failed.get();
  }

  private boolean isCandidate(Class<?> type) {
    if (type.isInterface()
        || type.isArray()
        || type.isPrimitive()
        || type.isHidden()
        || Ignored.isIgnoredLoaded(type.getName())
        || !instrumentation.isModifiableClass(type)) {
      return false;
    }
    return !matching(type.getName(), supertypes.of(type), null).isEmpty();
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    if (loader == AGENT_LOADER || className == null || Ignored.isIgnored(className)) {
      return null;
    }
    boolean carrier;
    try {
      carrier = carriesContext(loader, className, classBeingRedefined, classFile);
    } catch (Throwable e) {
      // Only as a class first loads (a loaded class's interfaces are read without fail): no fields.
      carrier = false;
    }
    byte[] woven = weaveHooks(module, loader, className, classBeingRedefined, classFile);
    if (!carrier) {
      return woven;
    }
    // Apart from the hooks: a retransformation must get the fields again even if the hooks fail.
    try {
      byte[] withFields = ContextFields.add(woven != null ? woven : classFile);
      canReadHooks(module);
      if (woven == null) {
        transformed.incrementAndGet();
      }
      debug("trace context fields: ", className, classBeingRedefined);
      return withFields;
    } catch (Throwable e) {
      failed.incrementAndGet();
      report(className, e);
      // As it first loads, the class then carries nothing, and a retransformation agrees (see
      // carriesContext). Retransformed, it cannot keep its members: nothing can be done.
      return classBeingRedefined == null ? woven : null;
    }
  }

  /** One line for {@link #DEBUG}: what was done to the class. */
  private void debug(String what, String className, Class<?> classBeingRedefined) {
    if (DEBUG) {
      warnings.accept(
          what
              + className.replace('/', '.')
              + (classBeingRedefined != null ? " (already loaded)" : ""));
    }
  }

  /** The class file with the hooks of the matching rules, or null when none matched or failed. */
  private byte[] weaveHooks(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      byte[] classFile) {
    try {
      List<Rule> matching = matching(loader, className, classBeingRedefined, classFile);
      if (matching.isEmpty()) {
        return null;
      }
      byte[] woven = ClassWeaver.weave(classFile, matching);
      if (woven != null) {
        canReadHooks(module);
        transformed.incrementAndGet();
      }
      debug(
          woven != null ? "woven: " : "matched, but none of its methods: ",
          className,
          classBeingRedefined);
      return woven;
    } catch (Throwable e) {
      failed.incrementAndGet();
      report(className, e);
      return null;
    }
  }

  /**
   * Whether the class gets trace context fields: as it first loads, when a point names it and it
   * can take them; when it is retransformed, exactly when it got them as it loaded, since a
   * retransformation must not change its members (and starts again from the class file as it was
   * before this transformer).
   */
  private boolean carriesContext(
      ClassLoader loader, String className, Class<?> loaded, byte[] classFile) {
    if (loaded != null) {
      return Arrays.asList(loaded.getInterfaces()).contains(ContextCarrier.class);
    }
    if (!contextCarriers.contains(className)
        || loader == null
        || loader == ClassLoader.getPlatformClassLoader() // the JDK's own classes
        || !seesCarrier(loader)) {
      return false;
    }
    try {
      ClassReader header = new ClassReader(classFile);
      return ContextFields.canCarry(header, loader)
          && carrierSupertypes // a subclass of one that has them inherits them
              .of(loader, header.getSuperName(), header.getSuperName(), new String[0])
              .isEmpty();
    } catch (RuntimeException unreadable) {
      return false; // as it first loads: no fields, and a retransformation agrees
    }
  }

  /**
   * Whether classes of {@code loader} (not the boot loader: its classes get no fields) resolve the
   * carrier interface to the agent's own, in the boot loader. One that does not delegate the
   * agent's package there (some module systems) would fail to define a class that implements it,
   * and the host with it; its classes get no fields.
   */
  private boolean seesCarrier(ClassLoader loader) {
    Boolean sees = seesCarrier.get(loader);
    if (sees == null) {
      try {
        sees = Class.forName(ContextCarrier.class.getName(), false, loader) == ContextCarrier.class;
      } catch (ClassNotFoundException | LinkageError e) {
        sees = false;
      }
      seesCarrier.put(loader, sees);
    }
    return sees;
  }

  private List<Rule> matching(
      ClassLoader loader, String className, Class<?> loaded, byte[] classFile) {
    if (loaded != null) {
      // Classes loaded before the agent are not searched for annotations (their bytes would have to
      // be read for that): only the rules of named types apply to them.
      return loaded.isInterface()
          ? List.of()
          : matching(loaded.getName(), supertypes.of(loaded), null);
    }
    ClassReader header;
    try {
      header = new ClassReader(classFile);
    } catch (IllegalArgumentException unsupportedVersion) {
      if (unreadableReported.compareAndSet(false, true)) {
        warnings.accept(
            "classes of a newer class file version than this agent reads are not instrumented"
                + " (first: "
                + className.replace('/', '.')
                + ")");
      }
      return List.of();
    }
    if ((header.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_SYNTHETIC)) != 0) {
      return List.of();
    }
    Set<String> found =
        supertypes.of(loader, className, header.getSuperName(), header.getInterfaces());
    return matching(className.replace('/', '.'), found, classFile);
  }

  /**
   * @param classFile the class's bytes, searched for the annotations of annotation rules; null to
   *     leave those rules out
   */
  private List<Rule> matching(String className, Set<String> found, byte[] classFile) {
    List<Rule> matching = new ArrayList<>();
    for (Rule rule : rules) {
      String annotation = rule.methods().annotation();
      if (annotation != null
          ? classFile != null && ClassBytes.contains(classFile, annotation)
          : rule.types().matches(className, found)) {
        matching.add(rule);
      }
    }
    return matching;
  }

  /**
   * Woven code calls {@code Woven}, in the bootstrap loader's unnamed module. A class of a named
   * module (the JDK's HTTP server, say) reads only what its module declares, so the read edge is
   * added before the class is woven.
   */
  private void canReadHooks(Module module) {
    Module hooks = dev.conductor.bootstrap.Woven.class.getModule();
    if (module != null && module.isNamed() && !module.canRead(hooks)) {
      instrumentation.redefineModule(module, Set.of(hooks), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }

  private void report(String className, Throwable e) {
    warnings.accept("could not instrument " + className.replace('/', '.') + ": " + e);
  }
}
