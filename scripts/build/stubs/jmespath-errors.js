// Stands in for Powertools' JMESPath errors, raised only for a malformed expression or a function
// misused: our expressions are plain field names. Same classes, same hierarchy, shorter messages.
export class JMESPathError extends Error {
  constructor(message) {
    super(typeof message === "string" ? message : "JMESPath error");
    this.name = new.target.name;
  }
  setExpression(expression) {
    this.expression = expression;
  }
}
export class LexerError extends JMESPathError {}
export class ParseError extends JMESPathError {}
export class IncompleteExpressionError extends ParseError {}
export class EmptyExpressionError extends JMESPathError {}
class FunctionError extends JMESPathError {}
export class ArityError extends FunctionError {}
export class VariadicArityError extends ArityError {}
export class JMESPathTypeError extends FunctionError {}
export class UnknownFunctionError extends FunctionError {}
