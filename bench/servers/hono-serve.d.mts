import type { Server } from 'node:http';
import type { Hono } from 'hono';

export function serveLikeGatehouse(app: Hono): Server;
