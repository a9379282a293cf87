import type { DashboardView } from "../../../types/views";

/** Ada's dashboard as the app renders it (its loader data, captured from /dashboard?_data=routes%2Fdashboard). */
export const ADA_DASHBOARD: DashboardView = {
  "customer": {
    "status": "ok",
    "data": {
      "firstName": "Ada",
      "fullName": "Ada Lovelace"
    }
  },
  "balance": {
    "status": "ok",
    "data": {
      "available": {
        "minor": 1234567,
        "currency": "EUR",
        "text": "€12,345.67"
      },
      "iban": "DE58 2034 5649 7719 6746 69"
    }
  },
  "recentTransactions": {
    "status": "ok",
    "data": [
      {
        "id": "txn_4960dd0d5ef3b285",
        "amount": {
          "minor": -4221,
          "currency": "EUR",
          "text": "-€42.21"
        },
        "direction": "out",
        "bookedAt": "2025-06-02T07:30:00.000Z",
        "bookedAtText": "2 Jun 2025",
        "counterparty": "Fresh Market",
        "category": "groceries"
      },
      {
        "id": "txn_423fb69c1bb79cf0",
        "amount": {
          "minor": -52319,
          "currency": "EUR",
          "text": "-€523.19"
        },
        "direction": "out",
        "bookedAt": "2025-06-01T06:10:39.475Z",
        "bookedAtText": "1 Jun 2025",
        "counterparty": "Rail Europa",
        "category": "travel"
      },
      {
        "id": "txn_7b711d1e9bdfc323",
        "amount": {
          "minor": -36333,
          "currency": "EUR",
          "text": "-€363.33"
        },
        "direction": "out",
        "bookedAt": "2025-05-31T13:29:44.299Z",
        "bookedAtText": "31 May 2025",
        "counterparty": "Charles Babbage",
        "category": "transfer"
      },
      {
        "id": "txn_4260e8c435739c49",
        "amount": {
          "minor": -20443,
          "currency": "EUR",
          "text": "-€204.43"
        },
        "direction": "out",
        "bookedAt": "2025-05-31T01:57:24.727Z",
        "bookedAtText": "31 May 2025",
        "counterparty": "Mary Somerville",
        "category": "transfer"
      },
      {
        "id": "txn_e3a63421a28c5f4a",
        "amount": {
          "minor": -2497,
          "currency": "EUR",
          "text": "-€24.97"
        },
        "direction": "out",
        "bookedAt": "2025-05-29T12:56:30.088Z",
        "bookedAtText": "29 May 2025",
        "counterparty": "Bookworm & Co",
        "category": "shopping"
      }
    ]
  },
  "ad": {
    "status": "ok",
    "data": {
      "id": "ad_78efdceb08",
      "title": "Budgeting that adds up",
      "body": "See where your money goes each month.",
      "imageUrl": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI2MDAiIGhlaWdodD0iMjAwIiB2aWV3Qm94PSIwIDAgNjAwIDIwMCI+PGRlZnM+PGxpbmVhckdyYWRpZW50IGlkPSJnIiB4MT0iMCIgeTE9IjAiIHgyPSIxIiB5Mj0iMSI+PHN0b3Agb2Zmc2V0PSIwIiBzdG9wLWNvbG9yPSIjMGI1Y2FkIi8+PHN0b3Agb2Zmc2V0PSIxIiBzdG9wLWNvbG9yPSIjNDlhM2U4Ii8+PC9saW5lYXJHcmFkaWVudD48L2RlZnM+PHJlY3Qgd2lkdGg9IjEwMCUiIGhlaWdodD0iMTAwJSIgZmlsbD0idXJsKCNnKSIvPjx0ZXh0IHg9IjUwJSIgeT0iNTAlIiBkb21pbmFudC1iYXNlbGluZT0iY2VudHJhbCIgdGV4dC1hbmNob3I9Im1pZGRsZSIgZm9udC1mYW1pbHk9InN5c3RlbS11aSxzYW5zLXNlcmlmIiBmb250LXdlaWdodD0iNzAwIiBmb250LXNpemU9IjEyMCIgZmlsbD0iI2ZmZmZmZiIgZmlsbC1vcGFjaXR5PSIwLjkiPkw8L3RleHQ+PC9zdmc+",
      "imageWidth": 600,
      "imageHeight": 200,
      "clickUrl": "https://ledgerly.example/offer?utm_source=fintech-bff&utm_medium=inline&utm_campaign=cmp_b4e41cd5",
      "sponsor": "Ledgerly"
    }
  }
};
