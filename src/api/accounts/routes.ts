import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmailTakenError, type Accounts } from './accounts.js';
import { ProblemError, isUuid, loginBody, problemSchema, registerBody, sessionSchema, userSchema } from '../http/index.js';

export const accountRoutes: FastifyPluginAsyncZod<{ accounts: Accounts }> = async (app, { accounts }) => {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a customer account',
        body: registerBody,
        response: { 201: sessionSchema, 409: problemSchema },
      },
      preHandler: app.limitWrites,
    },
    async (request, reply) => {
      const user = await accounts.register(request.body).catch((err: unknown) => {
        if (err instanceof EmailTakenError)
          throw new ProblemError(409, 'email-taken', 'Email taken', 'an account with this email already exists');
        throw err;
      });
      return reply.code(201).send({ token: app.signToken(user), user });
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign in',
        body: loginBody,
        response: { 200: sessionSchema, 401: problemSchema },
      },
      preHandler: app.limitWrites,
    },
    async (request) => {
      const user = await accounts.verify(request.body.email, request.body.password);
      if (!user) throw new ProblemError(401, 'invalid-credentials', 'Invalid credentials', 'the email or password is wrong');
      return { token: app.signToken(user), user };
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['accounts'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: userSchema } },
      preHandler: app.authenticate,
    },
    async (request) => {
      const user = isUuid(request.user.id) ? await accounts.get(request.user.id) : undefined;
      if (!user) throw new ProblemError(401, 'unauthorized', 'Not signed in', 'the account of this token no longer exists');
      return user;
    },
  );
};
