// Stands in for Powertools' JMESPath built-in functions: our expressions call none, so an
// expression that did would fail as an unknown function.
export class Functions {
  methods = new Set();
  introspectMethods() {
    return this.methods;
  }
}
