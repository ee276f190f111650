/**
 * The only code of the agent that the host's classes call.
 *
 * <p>These classes are defined in the bootstrap class loader at startup so that advice inlined into
 * any class, {@code java.util.concurrent} included, can reach them. Rules for everything in this
 * package:
 *
 * <ul>
 *   <li>No dependency but the JDK and relocated JCTools; no logging framework.
 *   <li>Methods called from host threads never block, never throw and allocate nothing in steady
 *       state. What cannot be recorded is dropped and counted.
 *   <li>Every structure has a fixed capacity chosen at install time.
 * </ul>
 */
package dev.conductor.bootstrap;
