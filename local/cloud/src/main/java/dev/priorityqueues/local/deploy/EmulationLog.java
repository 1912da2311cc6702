package dev.priorityqueues.local.deploy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every declared resource, with whether the local cloud emulates it and, if not, why. */
final class EmulationLog {
  private final List<Declared.Resource> resources = new CopyOnWriteArrayList<>();

  void emulated(String type, String name, String note) {
    resources.add(new Declared.Resource(type, name, true, note));
  }

  void notEmulated(String type, String name, String note) {
    resources.add(new Declared.Resource(type, name, false, note));
  }

  void add(Declared.Resource resource) {
    resources.add(resource);
  }

  List<Declared.Resource> all() {
    return List.copyOf(resources);
  }
}
