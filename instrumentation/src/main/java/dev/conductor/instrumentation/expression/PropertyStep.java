package dev.conductor.instrumentation.expression;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code .name} or {@code .name()} step of a label expression.
 *
 * <p>The member is looked up on the runtime class of the value, once per class, and cached in a
 * {@link ClassValue}; after that a step is one {@code invokeExact} of a handle typed {@code
 * (Object)Object}, which allocates nothing but the boxing of a primitive result. The first class
 * seen is also kept in a one-entry cache checked before the {@code ClassValue}, because almost
 * every step only ever sees one class and the check is cheaper than the lookup. A field step falls
 * back to the {@code getName()}, {@code isName()} and {@code name()} getters, so that {@code
 * thread.name} or {@code arg0.type} work whatever the class chose to expose. A member that does not
 * exist or cannot be opened reads as null.
 */
final class PropertyStep {
  private static final MethodType GETTER_TYPE = MethodType.methodType(Object.class, Object.class);

  /**
   * Told when a step finds no member; null until the agent installs its warnings (not a lambda: a
   * first lambda shape on premain's path costs the host's startup).
   */
  private static volatile Consumer<String> missingMembers;

  private final String name;
  private final boolean call;

  /** The whole expression, for messages. */
  private final String expression;

  private final ClassValue<MethodHandle> handles =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return resolve(type);
        }
      };

  /**
   * The first class this step saw and its handle. Set once and never replaced, so that a step that
   * sees several classes does not allocate a new entry on every call; the final fields make the
   * racy publication safe.
   */
  private Resolved first;

  PropertyStep(String name, boolean call, String expression) {
    this.name = name;
    this.call = call;
    this.expression = expression;
  }

  static void reportMissingMembersTo(Consumer<String> warnings) {
    missingMembers = warnings;
  }

  Object apply(Object target) throws Throwable {
    Class<?> type = target.getClass();
    Resolved cached = first;
    MethodHandle handle;
    if (cached != null && cached.type == type) {
      handle = cached.handle;
    } else {
      handle = handles.get(type);
      if (cached == null) {
        first = new Resolved(type, handle);
      }
    }
    return (Object) handle.invokeExact(target);
  }

  /**
   * This step as a handle typed {@code (Object)Object} for a value that is not null: the member
   * found for the first class this step saw, behind a check of the class, else the general lookup.
   * Held in a constant, the whole of it can be inlined by the JIT, unlike {@link #apply}'s handle,
   * which comes from a field.
   */
  MethodHandle specialized() {
    MethodHandle general = Specializing.APPLY.bindTo(this);
    Resolved seen = first;
    if (seen == null) {
      return general;
    }
    MethodHandle isSeenClass = Specializing.IS_CLASS.bindTo(seen.type);
    return MethodHandles.guardWithTest(isSeenClass, seen.handle, general);
  }

  /**
   * The handles {@link #specialized} builds with, made on first use by the capture compiler's
   * thread: made when the first step was parsed, they cost premain method handle lookups and a spun
   * class.
   */
  private static final class Specializing {
    static final MethodHandle APPLY;
    static final MethodHandle IS_CLASS;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        APPLY = lookup.findVirtual(PropertyStep.class, "apply", GETTER_TYPE);
        IS_CLASS =
            lookup.findStatic(
                PropertyStep.class,
                "isClass",
                MethodType.methodType(boolean.class, Class.class, Object.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /** What a member that does not exist reads as; made the first time one is looked up. */
  private static final class Missing {
    static final MethodHandle HANDLE =
        MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, Object.class);
  }

  private static boolean isClass(Class<?> type, Object value) {
    return value.getClass() == type;
  }

  private static final class Resolved {
    final Class<?> type;
    final MethodHandle handle;

    Resolved(Class<?> type, MethodHandle handle) {
      this.type = type;
      this.handle = handle;
    }
  }

  private MethodHandle resolve(Class<?> type) {
    List<String> getters = new ArrayList<>();
    if (call) {
      getters.add(name);
    } else {
      MethodHandle field = fieldHandle(type);
      if (field != null) {
        return field;
      }
      String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
      getters.add("get" + capitalized);
      getters.add("is" + capitalized);
      getters.add(name);
    }
    for (String getter : getters) {
      MethodHandle method = methodHandle(type, getter);
      if (method != null) {
        return method;
      }
    }
    // Once per class: the ClassValue keeps what this returns.
    Consumer<String> warnings = missingMembers;
    if (warnings == null) {
      return Missing.HANDLE;
    }
    warnings.accept(
        "label expression '"
            + expression
            + "': "
            + type.getName()
            + " has no accessible "
            + (call
                ? "method " + name + "()"
                : "field " + name + " nor a getter " + String.join("(), ", getters) + "()")
            + "; it reads as null, and the label as 'unknown'");
    return Missing.HANDLE;
  }

  private MethodHandle fieldHandle(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getName().equals(name) && !Modifier.isStatic(field.getModifiers())) {
          try {
            field.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(field).asType(GETTER_TYPE);
          } catch (RuntimeException | IllegalAccessException inaccessible) {
            return null; // e.g. a JDK class in a module that is not open: try the getters
          }
        }
      }
    }
    return null;
  }

  private MethodHandle methodHandle(Class<?> type, String methodName) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method method : c.getDeclaredMethods()) {
        if (method.getName().equals(methodName)
            && method.getParameterCount() == 0
            && method.getReturnType() != void.class
            && !Modifier.isStatic(method.getModifiers())) {
          MethodHandle handle = accessible(method, type, methodName);
          if (handle != null) {
            return handle;
          }
        }
      }
    }
    return null;
  }

  private static MethodHandle accessible(Method method, Class<?> type, String methodName) {
    try {
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method).asType(GETTER_TYPE);
    } catch (RuntimeException | IllegalAccessException notOpen) {
      // A class of a module that is not open to us (the JDK's HTTP exchange, say): call the
      // method through a public, exported supertype that declares it, as any caller would.
      return throughPublicSupertype(type, methodName);
    }
  }

  private static MethodHandle throughPublicSupertype(Class<?> type, String methodName) {
    List<Class<?>> supertypes = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      supertypes.add(c);
      collectInterfaces(c, supertypes);
    }
    for (Class<?> supertype : supertypes) {
      if (!Modifier.isPublic(supertype.getModifiers())
          || !supertype.getModule().isExported(supertype.getPackageName())) {
        continue;
      }
      try {
        Method method = supertype.getMethod(methodName);
        return MethodHandles.publicLookup().unreflect(method).asType(GETTER_TYPE);
      } catch (ReflectiveOperationException | RuntimeException notHere) {
        // try the next supertype
      }
    }
    return null;
  }

  private static void collectInterfaces(Class<?> type, List<Class<?>> into) {
    for (Class<?> anInterface : type.getInterfaces()) {
      into.add(anInterface);
      collectInterfaces(anInterface, into);
    }
  }

  @Override
  public String toString() {
    return call ? name + "()" : name;
  }
}
